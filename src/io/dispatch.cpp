// Session: what happens to each command once it is parsed.
#include <random>

#include "preshard/backend/backend_pool.hpp"
#include "preshard/command/client_modes.hpp"
#include "preshard/command/command_table.hpp"
#include "preshard/command/key_finder.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/fanout/scan_cursor.hpp"
#include "preshard/fanout/split.hpp"
#include "preshard/io/context.hpp"
#include "preshard/io/info.hpp"
#include "preshard/io/scan_request.hpp"
#include "preshard/io/session.hpp"
#include "preshard/io/split_request.hpp"
#include "preshard/resp/encode.hpp"

namespace preshard::io {

namespace {

using command::Op;
namespace errors = core::errors;

}  // namespace

void Session::dispatch(const resp::Request& req) {
  stats::ThreadStats& st = ctx_.stats();
  stats::ThreadStats::add(st.total_commands_processed);
  command::Lookup lk = command::lookup(req);
  // Refused while queueing a transaction: EXEC will abort, as in Redis.
  if (lk.status != command::LookupStatus::kOk && multi_.active) multi_.dirty = true;
  switch (lk.status) {
    case command::LookupStatus::kUnknownCommand:
      stats::ThreadStats::add(st.unknown_commands);
      reply_error(errors::unknown_command(req));
      return;
    case command::LookupStatus::kUnknownSubcommand:
      stats::ThreadStats::add(st.unknown_commands);
      reply_error(errors::unknown_subcommand(req));
      return;
    case command::LookupStatus::kWrongArity:
      stats::ThreadStats::add(st.unknown_commands);
      reply_error(errors::wrong_arity(lk.spec->name));
      return;
    case command::LookupStatus::kOk:
      break;
  }
  const command::CommandSpec& spec = *lk.spec;
  if (subscribed() && !command::allowed_when_subscribed(spec)) {
    reply_error(errors::not_when_subscribed(spec.name));
    return;
  }
  if (transaction_takes(spec, req)) return;
  switch (spec.op) {
    case Op::kKeyed:
    case Op::kSplit:
      forward_keyed(spec, req);
      return;
    case Op::kAnyShard:
      forward(0, req);
      return;
    case Op::kDenied:
      stats::ThreadStats::add(st.refused_commands);
      reply_error(errors::refused(spec.name));
      return;
    case Op::kAllShards:
      forward_broadcast(spec, req);
      return;
    case Op::kScan:
      forward_scan(req);
      return;
    case Op::kBlocking:
      forward_blocking(spec, req);
      return;
    case Op::kSubscribe:
    case Op::kPsubscribe:
    case Op::kSsubscribe:
    case Op::kUnsubscribe:
    case Op::kPunsubscribe:
    case Op::kSunsubscribe:
    case Op::kPublish:
      pubsub_command(spec, req);
      return;
    case Op::kContainer:  // lookup() always descends into the subcommand
    case Op::kCount:
    case Op::kMulti:  // transaction ops are taken above
    case Op::kExec:
    case Op::kDiscard:
    case Op::kWatch:
    case Op::kUnwatch:
      stats::ThreadStats::add(st.refused_commands);
      reply_error(errors::not_supported_yet(spec.name));
      return;
    default:
      run_local(spec, req);
      return;
  }
}

size_t Session::locate(const command::CommandSpec& spec, const resp::Request& req, bool& spans) {
  spans = false;
  shards_.clear();
  if (command::find_keys(spec, req, keys_) != command::KeysStatus::kOk || keys_.empty()) {
    return 0;
  }
  const router::RoutingTable& table = ctx_.table();
  for (size_t k : keys_) {
    shards_.push_back(table.shard_of(req[k]));
    spans = spans || shards_.back() != shards_.front();
  }
  return shards_.front();
}

void Session::forward_keyed(const command::CommandSpec& spec, const resp::Request& req) {
  // MSET's arity check is Redis's own (pairs), done here since split parts would hide it.
  if (spec.op == Op::kSplit && spec.step == 2 && req.size() % 2 == 0) {
    reply_error(errors::wrong_arity(spec.name));
    return;
  }
  // XREAD ... BLOCK holds its connection: it is a blocking command.
  if (spec.has(command::kBlocking) && command::scan_xread_options(req).block) {
    forward_blocking(spec, req);
    return;
  }
  bool spans = false;
  size_t shard = locate(spec, req, spans);
  if (!spans) {
    forward(shard, req);  // untouched, whatever the command
  } else if (spec.op == Op::kSplit) {
    forward_split(spec, req);
  } else {
    stats::ThreadStats::add(ctx_.stats().crossshard_errors);
    reply_error(errors::kCrossShard);
  }
}

void Session::forward_blocking(const command::CommandSpec& spec, const resp::Request& req) {
  bool spans = false;
  size_t shard = locate(spec, req, spans);  // WAIT, keyless: shard 0
  if (spans) {
    stats::ThreadStats::add(ctx_.stats().crossshard_errors);
    reply_error(errors::kCrossShard);
    return;
  }
  auto conn = ctx_.backends().acquire_dedicated(shard);
  if (!conn) {
    reply_error(errors::blocking_limit(shard, ctx_.settings().blocking_connections_per_shard));
    return;
  }
  stats::ThreadStats::add(ctx_.stats().blocking_commands);
  conn->set_timed(false);  // the command's own timeout governs
  uint64_t seq = replies_.reserve();
  blocking_conn_ = conn;
  blocking_seq_ = seq;
  conn->submit(req, shared_from_this(), seq);  // a shard that is down answers at once
}

void Session::finish_blocking() {
  ctx_.backends().release_dedicated(std::move(blocking_conn_));
}

void Session::forward_split(const command::CommandSpec& spec, const resp::Request& req) {
  stats::ThreadStats::add(ctx_.stats().split_commands);
  uint64_t seq = replies_.reserve();
  auto split = std::make_shared<SplitRequest>(
      shared_from_this(), seq, spec.merge,
      fanout::split(req, static_cast<size_t>(spec.first), static_cast<size_t>(spec.step), shards_));
  split->send(ctx_.backends(), current_pin());
}

void Session::forward_broadcast(const command::CommandSpec& spec, const resp::Request& req) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  stats::ThreadStats::add(ctx_.stats().split_commands);
  uint64_t seq = replies_.reserve();
  auto all =
      std::make_shared<SplitRequest>(shared_from_this(), seq, spec.merge,
                                     fanout::broadcast(req, ctx_.table().shard_count()), rng());
  all->send(ctx_.backends(), current_pin());
}

void Session::forward_info(const resp::Request& req) {
  static const resp::Request kInfoKeyspace{"INFO", "keyspace"};
  uint64_t seq = replies_.reserve();
  auto sink = std::make_shared<InfoReply>(shared_from_this(), render_info(ctx_, req));
  auto all =
      std::make_shared<SplitRequest>(sink, seq, command::Merge::kKeyspace,
                                     fanout::broadcast(kInfoKeyspace, ctx_.table().shard_count()));
  all->send(ctx_.backends(), current_pin());
}

void Session::forward_scan(const resp::Request& req) {
  size_t shards = ctx_.table().shard_count();
  auto pos = fanout::decode_scan_cursor(req[1], shards);
  if (!pos) {
    reply_error(errors::kInvalidCursor);
    return;
  }
  // The same SCAN, with that shard's own cursor; the options go as they are.
  resp::Request sub;
  sub.add(req[0]);
  sub.add(std::to_string(pos->cursor));
  for (size_t i = 2; i < req.size(); ++i) sub.add(req[i]);
  uint64_t seq = replies_.reserve();
  backend_for(pos->shard)
      .submit(sub, std::make_shared<ScanRequest>(shared_from_this(), seq, pos->shard, shards), 0);
}

void Session::forward(size_t shard, const resp::Request& req) {
  uint64_t seq = replies_.reserve();
  backend_for(shard).submit(req, shared_from_this(), seq);
}

void Session::reply_raw(std::string_view raw) {
  uint64_t seq = replies_.reserve();
  replies_.complete(seq, raw, out_);
  request_flush();
}

void Session::reply_error(const core::errors::Error& error) {
  count_error(error.kind);
  scratch_.clear();
  resp::append_error(scratch_, error.text);
  reply_raw(scratch_);
}

}  // namespace preshard::io
