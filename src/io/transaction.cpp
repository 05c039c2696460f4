// Session: transactions. MULTI queues commands inside the proxy (each answered +QUEUED or
// refused, as Redis does); EXEC sends MULTI, the commands and EXEC back to back to the
// transaction's shard. On the shared connection nothing of another client can come between
// them; after WATCH they go on the connection pinned for this client, where the WATCH is.
#include "preshard/backend/backend_pool.hpp"
#include "preshard/command/client_modes.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/io/context.hpp"
#include "preshard/io/session.hpp"

namespace preshard::io {

namespace {

using command::InMulti;
using command::Op;
namespace errors = core::errors;

constexpr std::string_view kOk = "+OK\r\n";
constexpr std::string_view kQueued = "+QUEUED\r\n";
constexpr std::string_view kNilArray = "*-1\r\n";

}  // namespace

bool Session::transaction_takes(const command::CommandSpec& spec, const resp::Request& req) {
  if (!multi_.active) {
    switch (spec.op) {
      case Op::kMulti:
        multi_.active = true;
        reply_raw(kOk);
        return true;
      case Op::kExec:
        reply_error(errors::kExecWithoutMulti);
        return true;
      case Op::kDiscard:
        reply_error(errors::kDiscardWithoutMulti);
        return true;
      case Op::kWatch:
        watch(spec, req);
        return true;
      case Op::kUnwatch:
        unpin();
        reply_raw(kOk);
        return true;
      default:
        return false;
    }
  }
  switch (command::in_multi(spec)) {
    case InMulti::kRunNow:
      return false;
    case InMulti::kControl:
      if (spec.op == Op::kExec) {
        exec();
      } else if (spec.op == Op::kDiscard) {
        multi_ = Multi{};
        unpin();
        reply_raw(kOk);
      } else {
        // Neither aborts the transaction in Redis.
        reply_error(spec.op == Op::kMulti ? errors::kMultiNested : errors::kWatchInsideMulti);
      }
      return true;
    case InMulti::kRefuse:
      multi_.dirty = true;
      reply_error(spec.op == Op::kDenied ? errors::refused(spec.name)
                                         : errors::not_in_transaction(spec.name));
      return true;
    case InMulti::kQueue:
      queue_in_multi(spec, req);
      return true;
  }
  return true;
}

void Session::queue_in_multi(const command::CommandSpec& spec, const resp::Request& req) {
  bool spans = false;
  size_t shard = locate(spec, req, spans);
  bool keyed = !shards_.empty();
  if (spans || (keyed && txn_shard_ && *txn_shard_ != shard)) {
    multi_.dirty = true;
    stats::ThreadStats::add(ctx_.stats().crossshard_errors);
    reply_error(errors::kCrossShard);
    return;
  }
  if (multi_.queued_bytes + req.payload_bytes() > ctx_.settings().reader.max_request_bytes) {
    multi_.dirty = true;
    reply_error(errors::kTransactionTooBig);
    return;
  }
  if (keyed) txn_shard_ = shard;  // the first key binds the transaction
  multi_.queued.push_back(req);
  multi_.queued_bytes += req.payload_bytes();
  reply_raw(kQueued);
}

void Session::watch(const command::CommandSpec& spec, const resp::Request& req) {
  bool spans = false;
  size_t shard = locate(spec, req, spans);
  if (spans || (txn_shard_ && *txn_shard_ != shard)) {
    stats::ThreadStats::add(ctx_.stats().crossshard_errors);
    reply_error(errors::kCrossShard);
    return;
  }
  bool fresh = !pin_ || pin_releasing_;
  if (!pin_) {
    pin_ = ctx_.backends().acquire_dedicated(shard);
    if (!pin_) {
      reply_error(errors::blocking_limit(shard, ctx_.settings().blocking_connections_per_shard));
      return;
    }
    pin_->set_timed(true);
  }
  pin_releasing_ = false;
  txn_shard_ = shard;
  stats::ThreadStats::add(ctx_.stats().watch_commands);
  pin_->submit(req, shared_from_this(), replies_.reserve());
  // A reset of the connection from now on means the instance forgot this WATCH.
  if (fresh) pin_epoch_ = pin_->epoch();
}

void Session::exec() {
  Multi multi = std::move(multi_);
  multi_ = Multi{};
  if (multi.dirty) {
    unpin();  // Redis's EXEC unwatches even when it aborts
    reply_error(errors::kExecAbort);
    return;
  }
  size_t shard = txn_shard_.value_or(0);  // no key at all: shard 0
  // (A pin already unwatched is not this transaction's: it only finishes its commands.)
  if (pin_ && !pin_releasing_ && (pin_->epoch() != pin_epoch_ || !pin_->live() || !pin_current())) {
    // The pinned connection failed since WATCH, so the instance no longer watches the keys, or
    // a reload moved the shard: abort as a touched WATCH does (the client retries).
    stats::ThreadStats::add(ctx_.stats().transactions_aborted);
    pin_releasing_ = true;
    txn_shard_.reset();
    reply_raw(kNilArray);
    release_pin_if_idle();
    return;
  }
  static const resp::Request kMulti{"MULTI"};
  static const resp::Request kExec{"EXEC"};
  multi.queued.insert(multi.queued.begin(), kMulti);
  multi.queued.push_back(kExec);
  stats::ThreadStats::add(ctx_.stats().transactions);
  PipelineConn& conn = backend_for(shard);
  if (pin_) pin_releasing_ = true;  // EXEC unwatches on the instance
  txn_shard_.reset();
  conn.submit_block(multi.queued, shared_from_this(), replies_.reserve(), kNoSlot);
}

void Session::unpin() {
  txn_shard_.reset();
  if (!pin_ || pin_releasing_) return;
  static const resp::Request kUnwatch{"UNWATCH"};
  pin_releasing_ = true;
  pin_->submit(kUnwatch, shared_from_this(), kNoSlot);
}

void Session::release_pin_if_idle() {
  if (pin_ && pin_releasing_ && pin_->in_flight() == 0) {
    pin_releasing_ = false;
    ctx_.backends().release_dedicated(std::move(pin_));
  }
}

bool Session::pin_current() const {
  return pin_->target() == ctx_.table().primary(pin_->shard());
}

PipelineConn& Session::backend_for(size_t shard) {
  if (pin_ && pin_->shard() == shard && pin_current()) return *pin_;
  return ctx_.backends().conn(shard);
}

}  // namespace preshard::io
