#pragma once
// The steps of `preshardctl restore` (restore.cpp: checks before anything is written, then the
// run; restore_copy.cpp: one shard through a temporary local redis-server). Private.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "preshard/config/config.hpp"
#include "preshard/ctl/manifest.hpp"

namespace preshard::ctl::restore_steps {

struct Options {
  std::string config_path, input;
  std::string only;  // "" = every shard
  bool force = false;
  std::vector<config::Endpoint> proxies;  // asked whether they serve a shard; empty: listen
  std::string redis_server = "redis-server";
  size_t parallel = 4;  // shards restored at once (each runs a temporary redis-server)
  size_t batch = 500;   // keys per DUMP / RESTORE pipeline
  std::chrono::milliseconds timeout{30'000};
};

struct ShardResult {
  long long loaded = 0, expired_on_load = 0, restored = 0;
  double ms = 0;
};

// Loads `rdb` into a temporary redis-server (unix socket only, under `dir`) and copies every key
// to the shard's instance with DUMP / RESTORE ... ABSTTL REPLACE in pipelined batches; checks
// the counts against `entry` and the target. Throws Failure naming what went wrong.
ShardResult restore_shard(const Options& o, const config::Config& c, const ShardEntry& entry,
                          const std::filesystem::path& dir);

// "7.0.15" of `redis-server --version` ("Redis server v=7.0.15 sha=..."); throws Failure.
std::string local_redis_version(const std::string& redis_server);

}  // namespace preshard::ctl::restore_steps
