#pragma once
#include <chrono>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "preshard/config/endpoint.hpp"

namespace preshard::ctl {

struct MigrateOptions {
  std::string config_path;
  std::vector<config::Endpoint> proxies;                   // empty: the config's own listen address
  std::vector<std::pair<size_t, config::Endpoint>> moves;  // shard -> its new instance
  bool dry_run = false;
  std::chrono::milliseconds sync_timeout{600'000};   // initial sync of every target
  std::chrono::milliseconds catchup_timeout{5'000};  // paused, until the offsets are equal
  unsigned pause_timeout_ms = 30'000;                // the proxies resume by themselves after this
  // preshardctl failover: each shard's master role moves to its replica (no copy to make).
  bool switchover = false;
  std::vector<size_t> shards;  // these shards ...
  std::string host;            // ... or every shard whose master is on this host
};

// Moves each listed shard to its new instance with no lost write (see README, "Moving
// shards"): replicate, pause the shard on every proxy, wait until the target has every write,
// promote it, fence the source, rewrite the config atomically, reload every proxy, resume.
// Any failure leaves the map as it was for the shard being moved. Returns the exit code.
// With `switchover` (preshardctl failover): the same, but the target is the shard's replica,
// already in sync, and where Sentinels are configured Sentinel promotes it (SENTINEL FAILOVER
// while the shard is paused) so that its view and the proxies' never disagree.
int migrate(const MigrateOptions& options, std::ostream& out, std::ostream& err);

}  // namespace preshard::ctl
