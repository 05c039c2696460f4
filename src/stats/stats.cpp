#include "preshard/stats/stats.hpp"

namespace preshard::stats {

Snapshot sum(const std::vector<std::unique_ptr<ThreadStats>>& per_thread) {
  Snapshot s;
  for (const auto& t : per_thread) {
#define PRESHARD_ADD(name, help) s.name += t->name.load(std::memory_order_relaxed);
    PRESHARD_COUNTERS(PRESHARD_ADD)
    PRESHARD_GAUGES(PRESHARD_ADD)
#undef PRESHARD_ADD
    for (size_t k = 0; k < kErrorKindSlots; ++k) {
      s.errors_by_kind[k] += t->errors_by_kind[k].load(std::memory_order_relaxed);
    }
  }
  return s;
}

const std::vector<Descriptor>& descriptors() {
  static const std::vector<Descriptor> all = {
#define PRESHARD_COUNTER_DESC(name, help) {#name, help, false, &Snapshot::name},
#define PRESHARD_GAUGE_DESC(name, help) {#name, help, true, &Snapshot::name},
      PRESHARD_COUNTERS(PRESHARD_COUNTER_DESC) PRESHARD_GAUGES(PRESHARD_GAUGE_DESC)
#undef PRESHARD_COUNTER_DESC
#undef PRESHARD_GAUGE_DESC
  };
  return all;
}

}  // namespace preshard::stats

namespace preshard::stats {

namespace {
uint64_t get(const Counter& c) {
  return c.load(std::memory_order_relaxed);
}
}  // namespace

std::vector<CommandTotals> command_totals(
    const std::vector<std::unique_ptr<ThreadStats>>& per_thread) {
  std::vector<CommandTotals> out;
  for (const auto& t : per_thread) {
    const auto& rows = t->commands();
    if (out.size() < rows.size()) out.resize(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      const CommandCounters& c = rows[i];
      if (get(c.calls) == 0 && get(c.rejected) == 0) continue;  // most rows are never used
      out[i].calls += get(c.calls);
      out[i].usec += get(c.usec);
      out[i].failed += get(c.failed);
      out[i].rejected += get(c.rejected);
      c.latency.add_to(out[i].latency);
    }
  }
  return out;
}

std::vector<ShardTotals> shard_totals(const std::vector<std::unique_ptr<ThreadStats>>& per_thread) {
  std::vector<ShardTotals> out;
  for (const auto& t : per_thread) {
    const auto& shards = t->shards();
    if (out.size() < shards.size()) out.resize(shards.size());
    for (size_t i = 0; i < shards.size(); ++i) {
      const ShardCounters& c = shards[i];
      ShardTotals& o = out[i];
      o.requests += get(c.requests);
      o.in_flight += get(c.in_flight);
      o.timeouts += get(c.timeouts);
      o.connections += get(c.connections);
      o.connect_failures += get(c.connect_failures);
      for (size_t k = 0; k < kErrorKindSlots; ++k) o.errors_by_kind[k] += get(c.errors_by_kind[k]);
      c.rtt.add_to(o.rtt);
    }
  }
  return out;
}

}  // namespace preshard::stats

namespace preshard::stats {

void ThreadStats::count_error_code(std::string_view reply) {
  // "-CODE message\r\n" or RESP3's "!<len>\r\nCODE message\r\n".
  if (reply.empty()) return;
  if (reply[0] == '!') {
    size_t body = reply.find('\n');
    if (body == std::string_view::npos) return;
    reply.remove_prefix(body + 1);
  } else {
    reply.remove_prefix(1);
  }
  std::string_view code = reply.substr(0, std::min(reply.find_first_of(" \r"), size_t{64}));
  if (code.empty()) return;
  std::lock_guard lock(error_codes_mutex_);
  auto it = error_codes_.find(code);
  if (it != error_codes_.end()) {
    ++it->second;
  } else if (error_codes_.size() < kMaxErrorCodes) {
    error_codes_.emplace(std::string(code), 1);
  }
}

std::map<std::string, uint64_t> ThreadStats::error_codes() const {
  std::lock_guard lock(error_codes_mutex_);
  return {error_codes_.begin(), error_codes_.end()};
}

void ThreadStats::reset_counters() {
#define PRESHARD_ZERO(name, help) name.store(0, std::memory_order_relaxed);
  PRESHARD_COUNTERS(PRESHARD_ZERO)
#undef PRESHARD_ZERO
  for (auto& k : errors_by_kind) k.store(0, std::memory_order_relaxed);
  for (CommandCounters& c : commands_) {
    for (Counter* n : {&c.calls, &c.usec, &c.failed, &c.rejected}) {
      n->store(0, std::memory_order_relaxed);
    }
    c.latency.reset();
  }
  std::lock_guard lock(error_codes_mutex_);
  error_codes_.clear();
}

std::map<std::string, uint64_t> error_code_totals(
    const std::vector<std::unique_ptr<ThreadStats>>& per_thread) {
  std::map<std::string, uint64_t> out;
  for (const auto& t : per_thread) {
    for (const auto& [code, n] : t->error_codes()) {
      if (out.size() < ThreadStats::kMaxErrorCodes || out.count(code) != 0) out[code] += n;
    }
  }
  return out;
}

}  // namespace preshard::stats
