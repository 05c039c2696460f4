#pragma once
// The steps of `preshardctl backup` (backup.cpp: the run and the archive; backup_shard.cpp: one
// shard's snapshot; backup_pause.cpp: the proxies' pause of a consistent backup). Private.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "preshard/config/config.hpp"
#include "preshard/ctl/backup.hpp"
#include "preshard/ctl/manifest.hpp"
#include "preshard/ctl/rdb_fetch.hpp"
#include "preshard/ctl/redis_client.hpp"

namespace preshard::ctl::backup_steps {

// One shard's snapshot in three steps, so that a consistent backup prepares every shard before
// it pauses writes: the constructor reads the instance's version and connects for the snapshot;
// begin() returns once the instance has forked it; finish() receives, checks and counts it.
class ShardBackup {
 public:
  ShardBackup(const config::Config& c, const BackupOptions& o, size_t shard);
  ~ShardBackup();
  void begin();
  ShardEntry finish(const std::filesystem::path& path);

 private:
  const BackupOptions& o_;
  ShardEntry e_;
  std::unique_ptr<RdbFetch> fetch_;
};

// Keys and expires in an RDB file, from redis-check-rdb's report. Throws Failure.
struct RdbCounts {
  long long keys = 0, expires = 0;
};
RdbCounts count_keys(const std::string& check_rdb, const std::filesystem::path& rdb);

// PROXY PAUSE of every shard on every proxy; resume() (or the destructor) undoes it.
class ProxyPause {
 public:
  ProxyPause(const config::Config& c, const BackupOptions& o);
  ~ProxyPause();
  void pause();   // throws Failure (the proxies paused so far are resumed)
  void resume();  // idempotent; paused_ms() then says how long the pause lasted
  double paused_ms() const { return paused_ms_; }
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<RedisClient>> proxies_;
  std::vector<std::string> shards_;  // "0" .. "N-1"
  unsigned timeout_ms_;
  size_t paused_ = 0;  // proxies paused
  std::chrono::steady_clock::time_point since_;
  double paused_ms_ = 0;
};

}  // namespace preshard::ctl::backup_steps
