// Commands sent to the shard of their keys, split per shard, or sent to every shard.
#include <optional>
#include <random>

#include "preshard/command/key_finder.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/fanout/split.hpp"
#include "preshard/proxy/ops.hpp"
#include "preshard/proxy/split_request.hpp"
#include "preshard/resp/ascii.hpp"

namespace preshard::proxy::ops {

namespace {

using command::Op;
namespace errors = core::errors;

// read_from applies to read-only commands outside scripts and WATCH.
net::ReadFrom reads_of(Call& c) {
  // A WATCHing client reads where it watches: on the master.
  if (!c.spec.has(command::kReadonly) || c.spec.runs_script() || c.st.txn.view().pin()) {
    return net::ReadFrom::kMaster;
  }
  return c.ctx.settings().reads;
}

void split(Call& c) {
  stats::ThreadStats::add(c.ctx.stats().split_commands);
  uint64_t slot = c.client.reserve();
  auto plan = fanout::split(c.req, static_cast<size_t>(c.spec.first),
                            static_cast<size_t>(c.spec.step), c.st.shards);
  auto split = std::make_shared<SplitRequest>(c.client.shared(), slot, c.spec.merge,
                                              std::move(plan), c.st.mode());
  split->send(c.ctx.backends(), current_pin(c.ctx, c.st), reads_of(c));
}

}  // namespace

size_t locate(Call& c, bool& spans) {
  spans = false;
  auto& shards = c.st.shards;
  shards.clear();
  if (c.spec.op == Op::kPublish) {  // no key for Redis, but its channel routes like one
    shards.push_back(c.ctx.table().shard_of(c.req[1]));
    return shards.front();
  }
  if (command::find_keys(c.spec, c.req, c.st.keys) != command::KeysStatus::kOk ||
      c.st.keys.empty()) {
    return 0;
  }
  const router::RoutingTable& table = c.ctx.table();
  for (size_t k : c.st.keys) {
    shards.push_back(table.shard_of(c.req[k]));
    spans = spans || shards.back() != shards.front();
  }
  c.st.home_shard = static_cast<uint32_t>(shards.front());
  return shards.front();
}

namespace {

// The shard every key a SORT pattern forms is on, as Redis Cluster's patternHashSlot decides:
// only when a hash tag comes before any wildcard; none otherwise.
std::optional<size_t> pattern_shard(Call& c, std::string_view pattern) {
  const std::string& tag = c.ctx.settings().hash_tag;
  if (tag.size() != 2) return std::nullopt;
  size_t open = std::string_view::npos;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char ch = pattern[i];
    if (ch == '*' || ch == '?' || ch == '[' || ch == '\\') return std::nullopt;
    if (open == std::string_view::npos && ch == tag[0]) {
      open = i;
    } else if (open != std::string_view::npos && ch == tag[1]) {
      if (i == open + 1) return std::nullopt;  // an empty tag
      return c.ctx.table().shard_of(pattern.substr(open, i - open + 1));
    }
  }
  return std::nullopt;
}

// SORT's BY and GET patterns name other keys, which the sort key's instance reads itself: one
// that may form keys on another shard would be answered wrongly (nils, a wrong order), so it is
// refused, as Redis Cluster refuses it. BY without '*' (no sorting) and GET # read nothing.
std::optional<core::errors::Error> sort_patterns_refused(Call& c, size_t shard) {
  for (size_t i = 2; i + 1 < c.req.size(); ++i) {
    bool by = resp::arg_is(c.req[i], "by"), get = resp::arg_is(c.req[i], "get");
    if (!by && !get) continue;
    std::string_view p = c.req[++i];
    if (p.find('*') == std::string_view::npos) continue;
    if (pattern_shard(c, p) != shard) return errors::sort_pattern_refused(by ? "BY" : "GET");
  }
  return std::nullopt;
}

}  // namespace

std::optional<core::errors::Error> sort_refusal(Call& c, size_t shard) {
  if (c.spec.keys.kind != command::Keys::kSort) return std::nullopt;
  return sort_patterns_refused(c, shard);
}

void keyed(Call& c) {
  // MSET's arity check is Redis's own (pairs), done here since split parts would hide it.
  if (c.spec.op == Op::kSplit && c.spec.step == 2 && c.req.size() % 2 == 0) {
    return c.client.error_now(errors::wrong_arity(c.spec.name));
  }
  // XREAD ... BLOCK holds its connection: it is a blocking command.
  if (c.spec.has(command::kBlocking) && command::scan_xread_options(c.req).block) {
    return blocking(c);
  }
  bool spans = false;
  size_t shard = locate(c, spans);
  if (!spans) {
    if (auto refused = sort_refusal(c, shard)) {
      stats::ThreadStats::add(c.ctx.stats().crossshard_errors);
      c.st.cmd_rejected = true;
      return c.client.error_now(*refused);
    }
  }
  if (!spans) {
    to_shard(c, shard);  // untouched, whatever the command
  } else if (c.spec.op == Op::kSplit) {
    split(c);
  } else {
    stats::ThreadStats::add(c.ctx.stats().crossshard_errors);
    c.st.cmd_rejected = true;
    c.client.error_now(errors::kCrossShard);
  }
}

void any_shard(Call& c) {
  // FUNCTION STATS (allow_busy): the client's shard tells the script it runs, even while busy,
  // on the side connection (RESP2: a RESP3 client's goes on its own, after any script).
  if (c.spec.has(command::kAllowBusy) && c.st.protocol == resp::Protocol::kResp2) {
    return c.ctx.backends()
        .side_conn(c.st.home_shard)
        .submit(c.req, c.client.shared(), c.client.reserve());
  }
  to_shard(c, c.spec.has(command::kAllowBusy) ? c.st.home_shard : 0);
}

void all_shards(Call& c) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  stats::ThreadStats::add(c.ctx.stats().split_commands);
  std::shared_ptr<backend::ReplySink> sink = numsub_sink(c);
  if (!sink) sink = c.client.shared();
  uint64_t slot = c.client.reserve();
  auto all = std::make_shared<SplitRequest>(std::move(sink), slot, c.spec.merge,
                                            fanout::broadcast(c.req, c.ctx.table().shard_count()),
                                            c.st.mode(), rng());
  // allow_busy (SCRIPT KILL, FUNCTION KILL): never behind a busy script on a shared connection.
  all->send(c.ctx.backends(), current_pin(c.ctx, c.st), net::ReadFrom::kMaster,
            c.spec.has(command::kAllowBusy));
}

void to_shard(Call& c, size_t shard, std::shared_ptr<backend::ReplySink> sink) {
  uint64_t slot = c.client.reserve();
  net::ReadFrom reads = reads_of(c);
  backend::PipelineConn* conn = nullptr;
  if (reads != net::ReadFrom::kMaster) {
    conn =
        c.ctx.backends().replica_conn(shard, c.st.mode(), reads == net::ReadFrom::kPreferReplica);
  }
  if (conn == nullptr) conn = &backend_for(c.ctx, c.st, shard);
  conn->submit(c.req, sink ? std::move(sink) : c.client.shared(), slot, c.spec.runs_script());
}

backend::PipelineConn& backend_for(Context& ctx, ClientState& st, size_t shard) {
  backend::PipelineConn* pin = st.txn.view().pin_for(shard);
  // (A pin of the mode the client had before HELLO or SELECT: all it had there is answered.)
  if (pin && pin->target() == ctx.table().primary(shard) && pin->mode() == st.mode()) {
    return *pin;
  }
  return ctx.backends().conn(shard, st.mode());
}

backend::PipelineConn* current_pin(Context& ctx, ClientState& st) {
  const auto& pin = st.txn.view().pin();
  bool usable =
      pin && pin->target() == ctx.table().primary(pin->shard()) && pin->mode() == st.mode();
  return usable ? pin.get() : nullptr;
}

}  // namespace preshard::proxy::ops
