#pragma once
// Everything the admin endpoint shows, gathered into plain values (server/admin_report.cpp),
// and the renderers (no I/O): Prometheus text, the /status JSON, the /sd targets.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "preshard/metrics/instance_info.hpp"
#include "preshard/stats/stats.hpp"

namespace preshard::metrics {

// A shard's health, as the monitor and the workers see it.
enum class ShardState { kUnknown, kUp, kDown, kTimeout, kPaused };
std::string_view state_name(ShardState s);

struct ShardReport {
  size_t index = 0;
  std::string address;  // host:port of the instance serving it now
  std::string role;     // the instance's INFO role ("master", "slave"), "" until known
  ShardState state = ShardState::kUnknown;
  bool paused = false;
  std::string error;       // why it is down (the monitor's last failure)
  int64_t last_ok_ms = 0;  // unix ms of the last INFO answered; 0: never
  InstanceInfo info;       // its last INFO
  stats::ShardTotals totals;
  std::vector<std::string> replicas;  // host:port of each replica in the map
  std::string learned = "config";     // how the proxy learned its master (Failover)
  uint64_t failovers = 0;             // masters Sentinel moved it to since the proxy started
};

struct CommandReport {
  std::string_view name;  // the row's name ("get", "client|list")
  stats::CommandTotals totals;
};

struct ProcessReport {
  double cpu_seconds = 0;
  uint64_t rss_bytes = 0;
  uint64_t open_fds = 0;
  uint64_t max_fds = 0;
  double start_time_seconds = 0;  // unix
};

// One line of the proxy's event log (core/event_log.hpp).
struct EventReport {
  int64_t unix_ms = 0;
  std::string kind;
  std::string text;
};

struct Report {
  std::string version;
  uint64_t uptime_seconds = 0;
  uint64_t config_generation = 0;
  uint64_t reloads = 0;
  uint64_t reload_failures = 0;
  uint64_t ops_per_sec = 0;
  uint64_t sentinels = 0;     // configured
  uint64_t sentinels_up = 0;  // followed (subscribed to +switch-master) now
  stats::Snapshot global;
  std::vector<CommandReport> commands;  // only rows that were used
  std::vector<ShardReport> shards;
  std::vector<std::pair<std::string, uint64_t>> error_codes;
  std::vector<std::string_view> error_kinds;  // core::errors kind names, by kind index
  ProcessReport process;
  std::vector<EventReport> events;  // oldest first
};

// Prometheus text exposition format 0.0.4.
std::string prometheus_text(const Report& r);
// The /status document (JSON).
std::string status_json(const Report& r);
// Prometheus http_sd: one target group per instance, labelled with its shard.
std::string sd_json(const Report& r);

}  // namespace preshard::metrics
