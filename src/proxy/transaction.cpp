// Transactions. MULTI queues commands inside the proxy (each answered +QUEUED or refused, as
// Redis does); EXEC sends MULTI, the commands and EXEC back to back to the transaction's shard.
// On the shared connection nothing of another client can come between them; after WATCH they
// go on the connection pinned for this client, where the WATCH is.
#include "preshard/command/client_modes.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/proxy/exec_recheck.hpp"
#include "preshard/proxy/ops.hpp"

namespace preshard::proxy {

bool Transaction::queue(const resp::Request& req, size_t max_bytes) {
  if (queued_bytes_ + req.payload_bytes() > max_bytes) {
    dirty_ = true;
    return false;
  }
  queued_.push_back(req);
  queued_bytes_ += req.payload_bytes();
  return true;
}

std::vector<resp::Request> Transaction::take_queue() {
  std::vector<resp::Request> q = std::move(queued_);
  discard_queue();
  return q;
}

void Transaction::discard_queue() {
  active_ = false;
  dirty_ = false;
  probes_.reset();
  queued_.clear();
  queued_bytes_ = 0;
}

void Transaction::set_pin(std::shared_ptr<backend::PipelineConn> conn) {
  pin_ = std::move(conn);
  releasing_ = false;
}

bool Transaction::pin_lost(router::TargetId current_target, const backend::ConnMode& mode) const {
  return pin_->epoch() != epoch_ || !pin_->live() || pin_->target() != current_target ||
         !(pin_->mode() == mode);
}

void Transaction::retire_pin() {
  if (pin_) retired_.push_back(std::move(pin_));
  releasing_ = false;
}

backend::PipelineConn* Transaction::retired_pin_for(size_t shard) const {
  for (auto it = retired_.rbegin(); it != retired_.rend(); ++it) {
    if ((*it)->shard() == shard) return it->get();
  }
  return nullptr;
}

bool Transaction::can_rewatch(size_t shard) const {
  return pin_ && pin_->shard() == shard;
}

std::vector<std::shared_ptr<backend::PipelineConn>> Transaction::take_idle() {
  std::vector<std::shared_ptr<backend::PipelineConn>> idle;
  std::erase_if(retired_, [&](auto& conn) {
    if (conn->in_flight() != 0) return false;
    idle.push_back(std::move(conn));
    return true;
  });
  if (pin_ && releasing_ && pin_->in_flight() == 0) {
    idle.push_back(std::move(pin_));
    releasing_ = false;
  }
  return idle;
}

std::vector<std::shared_ptr<backend::PipelineConn>> Transaction::take_all() {
  std::vector<std::shared_ptr<backend::PipelineConn>> all = std::move(retired_);
  retired_.clear();
  if (pin_) all.push_back(std::move(pin_));
  releasing_ = false;
  return all;
}

namespace ops {

namespace {

using command::InMulti;
using command::Op;
namespace errors = core::errors;

void ok(Call& c) {
  reply(c, [](resp::ReplyWriter& w) { w.simple("OK"); });
}

void queue_in_multi(Call& c) {
  bool spans = false;
  size_t shard = locate(c, spans);
  bool keyed = !c.st.shards.empty();
  Transaction& t = c.st.txn.edit();
  if (spans || (keyed && t.shard() && *t.shard() != shard)) {
    t.mark_dirty();
    stats::ThreadStats::add(c.ctx.stats().crossshard_errors);
    c.st.cmd_rejected = true;
    return c.client.error_now(errors::kCrossShard);
  }
  if (auto refused = sort_refusal(c, shard)) {
    t.mark_dirty();
    return c.client.error_now(*refused);
  }
  c.req.share();  // the queue and the instance's check hold the same arguments
  if (!t.queue(c.req, c.ctx.settings().reader.max_request_bytes)) {
    return c.client.error_now(errors::kTransactionTooBig);
  }
  if (keyed) t.bind(shard);  // the first key binds the transaction
  if (c.ctx.settings().multi_queue_check == "instance")
    return probe_queued(c, t.shard().value_or(0));
  reply(c, [](resp::ReplyWriter& w) { w.simple("QUEUED"); });
}

void watch(Call& c) {
  bool spans = false;
  size_t shard = locate(c, spans);
  Transaction& t = c.st.txn.edit();
  if (spans || (t.shard() && *t.shard() != shard)) {
    stats::ThreadStats::add(c.ctx.stats().crossshard_errors);
    c.st.cmd_rejected = true;
    return c.client.error_now(errors::kCrossShard);
  }
  bool fresh = !t.pinned();
  if (t.pin() && !t.can_rewatch(shard)) t.retire_pin();  // unwatched, on another shard
  if (!t.pin()) {
    if (wait_for_earlier(c.client)) return;
    auto conn = c.ctx.backends().acquire_dedicated(shard, c.st.mode());
    if (!conn) {
      return c.client.error_now(
          errors::blocking_limit(shard, c.ctx.settings().blocking_connections_per_shard));
    }
    conn->set_extra_wait(std::chrono::milliseconds(0));
    t.set_pin(std::move(conn));
  } else {
    t.keep_pin();
  }
  t.bind(shard);
  stats::ThreadStats::add(c.ctx.stats().watch_commands);
  t.pin()->submit(c.req, c.client.shared(), c.client.reserve());
  // A reset of the connection from now on means the instance forgot this WATCH.
  if (fresh) t.note_watch();
}

void exec(Call& c) {
  Transaction& t = c.st.txn.edit();
  size_t shard = t.shard().value_or(0);  // no key at all: shard 0
  // The instance's verdicts on the queued commands decide whether it aborts; a shard that may
  // be busy with a script is asked on its side connection, after the client's earlier commands.
  bool side = exec_on_side_connection(c, shard);
  if ((t.probes_pending() || side) && wait_for_earlier(c.client)) return;
  bool dirty = t.dirty();
  std::vector<resp::Request> queued = t.take_queue();
  if (dirty) {
    unpin(c.ctx, c.client, c.st);  // Redis's EXEC unwatches even when it aborts
    if (side) return exec_abort_as_instance(c, shard);
    return c.client.error_now(errors::kExecAbort);
  }
  // (A pin already unwatched is not this transaction's: it only finishes its commands.)
  if (t.pinned() && t.pin_lost(c.ctx.table().primary(t.pin()->shard()), c.st.mode())) {
    // The pinned connection failed since WATCH, so the instance no longer watches the keys, a
    // reload moved the shard, or HELLO or SELECT changed the client's mode: abort as a touched
    // WATCH does (the client retries).
    stats::ThreadStats::add(c.ctx.stats().transactions_aborted);
    t.start_release();
    t.unbind();
    reply(c, [](resp::ReplyWriter& w) { w.null_array(); });
    return release_pin_if_idle(c.ctx, c.st);
  }
  // Rights taken away by a reload since the commands were queued: those are not sent.
  std::vector<ExecDenial> denied;
  if (!c.st.unrestricted) denied = recheck_queued(*c.st.acl_user, queued);
  static const resp::Request kMulti{"MULTI"};
  static const resp::Request kExec{"EXEC"};
  backend::PipelineConn& conn =
      side ? c.ctx.backends().side_conn(shard) : backend_for(c.ctx, c.st, shard);
  // Scripts its EVALSHAs need are loaded ahead of MULTI (SCRIPT LOAD is not for a transaction).
  std::vector<resp::Request> block = script_loads(c.ctx, conn, queued);
  block.push_back(kMulti);
  for (auto& r : queued) block.push_back(std::move(r));
  block.push_back(kExec);
  stats::ThreadStats::add(c.ctx.stats().transactions);
  if (t.pin()) t.start_release();  // EXEC unwatches on the instance
  t.unbind();
  auto sink = splice_denials(c.client.shared(), std::move(denied));
  if (side) return exec_block_on_side_connection(c, shard, std::move(block), std::move(sink));
  conn.submit_block(block, std::move(sink), c.client.reserve(), ClientPort::kNoSlot);
}

// Outside MULTI: the transaction commands themselves.
bool outside_multi(Call& c) {
  switch (c.spec.op) {
    case Op::kMulti:
      c.st.txn.edit().begin();
      ok(c);
      return true;
    case Op::kExec:
      c.client.error_now(errors::kExecWithoutMulti);
      return true;
    case Op::kDiscard:
      c.client.error_now(errors::kDiscardWithoutMulti);
      return true;
    case Op::kWatch:
      watch(c);
      return true;
    case Op::kUnwatch:
      unpin(c.ctx, c.client, c.st);
      ok(c);
      return true;
    default:
      return false;
  }
}

}  // namespace

bool transaction(Call& c) {
  if (!c.st.txn.view().active()) return outside_multi(c);
  switch (command::in_multi(c.spec)) {
    case InMulti::kRunNow:
      return false;
    case InMulti::kControl:
      if (c.spec.op == Op::kExec) {
        exec(c);
      } else if (c.spec.op == Op::kDiscard) {
        c.st.txn.edit().discard_queue();
        unpin(c.ctx, c.client, c.st);
        ok(c);
      } else {
        // Neither aborts the transaction in Redis.
        c.client.error_now(c.spec.op == Op::kMulti ? errors::kMultiNested
                                                   : errors::kWatchInsideMulti);
      }
      return true;
    case InMulti::kRefuse:
      c.st.txn.edit().mark_dirty();
      c.client.error_now(c.spec.op == Op::kDenied ||
                                 (c.spec.op == Op::kConfigChange &&
                                  c.ctx.settings().config_commands != "all_shards")
                             ? errors::refused(c.spec.name)
                             : errors::not_in_transaction(c.spec.name));
      return true;
    case InMulti::kQueue:
      queue_in_multi(c);
      return true;
  }
  return true;
}

void unpin(Context&, ClientPort& client, ClientState& st) {
  if (!st.txn.allocated()) return;  // never in MULTI nor WATCHing: nothing to undo
  Transaction& t = st.txn.edit();
  t.unbind();
  if (!t.pinned()) return;
  static const resp::Request kUnwatch{"UNWATCH"};
  t.start_release();
  t.pin()->submit(kUnwatch, client.shared(), ClientPort::kNoSlot);
}

void release_pin_if_idle(Context& ctx, ClientState& st) {
  if (!st.txn.allocated()) return;
  for (auto& pin : st.txn.edit().take_idle()) ctx.backends().release_dedicated(std::move(pin));
}

}  // namespace ops

}  // namespace preshard::proxy
