#pragma once
// manifest.json of a backup archive: what was saved, from where, and how to check it.
#include <cstdint>
#include <string>
#include <vector>

namespace preshard::ctl {

struct ShardEntry {
  size_t shard = 0;
  std::string file;  // the entry in the archive: shard-007.rdb
  std::string address, redis_version, rdb_header;
  uint64_t bytes = 0;
  std::string sha256;
  long long keys = 0, expires = 0;  // in the RDB (redis-check-rdb)
  std::string replid;               // the instance's replication id and offset at the backup
  long long repl_offset = 0;
  std::string started, finished;  // UTC, ISO 8601
};

struct Manifest {
  int format = 1;
  std::string created_by, config, started, finished;
  std::vector<std::string> instances;  // the config's list: entry i served shard i
  bool consistent = false;
  std::vector<std::string> paused_proxies;
  double pause_ms = 0;  // how long writes were paused (consistent backups)
  std::vector<ShardEntry> shards;
};

std::string manifest_json(const Manifest& m);
// Throws Failure saying what is missing or inconsistent (entry count, shard numbers, file names).
Manifest parse_manifest(const std::string& text);
std::string shard_file_name(size_t shard);  // shard-007.rdb
std::string utc_now();                      // 2026-12-02T03:04:05.123Z

}  // namespace preshard::ctl
