#pragma once
// preshardctl status: one row per shard from its INFO, the summary, and their renderings (a
// table for people, JSON for programs). Pure: status.cpp does the polling.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>
#include "preshard/metrics/instance_info.hpp"

namespace preshard::ctl {

struct ShardStatus {
  size_t shard = 0;
  std::string address;
  bool up = false;
  std::string error;  // why it is down (unreachable, timeout, an error reply)
  std::string role;   // master, slave
  std::string link;   // replicas of a master ("2 replicas, lag 0s"), or a replica's link
  uint64_t used_memory = 0, maxmemory = 0;
  long long keys = 0, ops_per_sec = 0, clients = 0;
  long long last_save_age = -1;  // seconds since the last successful RDB save; -1 = never
  bool last_save_failed = false;
  std::string aof;  // off, on, rewriting, error
};

// The row of a shard that answered INFO (all sections); `now` is unix seconds.
ShardStatus status_from_info(size_t shard, const std::string& address,
                             const std::map<std::string, std::string>& info, long long now);

struct StatusSummary {
  size_t shards = 0, up = 0;
  long long keys = 0, ops_per_sec = 0;
  uint64_t used_memory = 0;
};
StatusSummary summarize(const std::vector<ShardStatus>& rows);

using metrics::human_bytes;
std::string render_status_table(const std::vector<ShardStatus>& rows);
std::string render_status_json(const std::vector<ShardStatus>& rows);

}  // namespace preshard::ctl
