// /status (the dashboard reads it) and /sd (Prometheus http_sd for redis_exporter).
#include <nlohmann/json.hpp>

#include "preshard/metrics/report.hpp"

namespace preshard::metrics {

namespace {

using nlohmann::json;

uint64_t errors_of(const stats::ShardTotals& t) {
  uint64_t n = 0;
  for (uint64_t e : t.errors_by_kind) n += e;
  return n;
}

json shard_json(const ShardReport& s) {
  const InstanceInfo& i = s.info;
  return {
      {"shard", s.index},
      {"address", s.address},
      {"role", s.role},
      {"state", state_name(s.state)},
      {"paused", s.paused},
      {"learned", s.learned},
      {"replicas", s.replicas},
      {"failovers", s.failovers},
      {"error", s.error},
      {"last_ok_ms", s.last_ok_ms},
      {"ops_per_sec", i.number("instantaneous_ops_per_sec")},
      {"used_memory", i.number("used_memory")},
      {"maxmemory", i.number("maxmemory")},
      {"keys", i.keys},
      {"connected_clients", i.number("connected_clients")},
      {"master_link_status", i.get("master_link_status")},
      {"redis_version", i.get("redis_version")},
      {"requests", s.totals.requests},
      {"errors", errors_of(s.totals)},
      {"timeouts", s.totals.timeouts},
      {"in_flight", s.totals.in_flight},
      {"p50_us", s.totals.rtt.percentile_us(0.5)},
      {"p99_us", s.totals.rtt.percentile_us(0.99)},
  };
}

json uppers() {
  json out = json::array();
  for (size_t b = 0; b < stats::Buckets::kCount; ++b) out.push_back(stats::Buckets::upper(b));
  return out;
}

}  // namespace

std::string status_json(const Report& r) {
  json shards = json::array();
  uint64_t keys = 0, memory = 0, instance_ops = 0, up = 0;
  for (const ShardReport& s : r.shards) {
    shards.push_back(shard_json(s));
    keys += s.info.keys;
    memory += s.info.number("used_memory");
    instance_ops += s.info.number("instantaneous_ops_per_sec");
    if (s.state == ShardState::kUp || s.state == ShardState::kPaused) ++up;
  }
  stats::Histogram all;
  uint64_t calls = 0, failed = 0;
  for (const CommandReport& c : r.commands) {
    all.merge(c.totals.latency);
    calls += c.totals.calls;
    failed += c.totals.failed + c.totals.rejected;
  }
  json events = json::array();
  for (const EventReport& e : r.events) {
    events.push_back({{"time_ms", e.unix_ms}, {"kind", e.kind}, {"text", e.text}});
  }
  json doc = {
      {"version", r.version},
      {"uptime_seconds", r.uptime_seconds},
      {"config_generation", r.config_generation},
      {"totals",
       {{"ops_per_sec", r.ops_per_sec},
        {"instance_ops_per_sec", instance_ops},
        {"clients", r.global.connected_clients},
        {"keys", keys},
        {"used_memory", memory},
        {"commands", calls},
        {"errors", failed},
        {"shards", r.shards.size()},
        {"shards_up", up},
        {"sentinels", r.sentinels},
        {"sentinels_up", r.sentinels_up}}},
      // Since start; the dashboard takes the difference of two polls' counts for a live view.
      {"latency",
       {{"p50_us", all.percentile_us(0.5)},
        {"p99_us", all.percentile_us(0.99)},
        {"uppers_us", uppers()},
        {"counts", all.counts}}},
      {"shards", shards},
      {"events", events},
  };
  return doc.dump();
}

std::string sd_json(const Report& r) {
  json groups = json::array();
  for (const ShardReport& s : r.shards) {
    groups.push_back(
        {{"targets", {s.address}},
         {"labels",
          {{"shard", std::to_string(s.index)}, {"role", s.role.empty() ? "unknown" : s.role}}}});
    // The shard's replicas, so that a failover finds them already watched.
    for (const std::string& replica : s.replicas) {
      groups.push_back({{"targets", {replica}},
                        {"labels", {{"shard", std::to_string(s.index)}, {"role", "replica"}}}});
    }
  }
  return groups.dump();
}

}  // namespace preshard::metrics
