#pragma once
// The steps of one `preshardctl migrate` run (migrate.cpp: checks and sync; migrate_switch.cpp:
// the switch of each shard to its new instance). Private to those two files.
#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "preshard/config/config.hpp"
#include "preshard/ctl/migrate.hpp"
#include "preshard/ctl/redis_client.hpp"

namespace preshard::ctl::migration {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kInstanceTimeout{5'000};
constexpr milliseconds kProxyTimeout{60'000};  // PAUSE waits for the shard's commands in flight
constexpr milliseconds kPoll{20};

struct Move {
  size_t shard = 0;
  config::Endpoint source;
  config::Endpoint target;
  std::unique_ptr<RedisClient> src, tgt;
  bool replicating = false;  // REPLICAOF sent to the target
  // preshardctl failover: the target is a replica of the source already, and the shard's
  // entry gets these replicas (the source among them) once it moved.
  bool switchover = false;
  std::vector<config::Endpoint> replicas_after;
};

class Migration {
 public:
  Migration(const MigrateOptions& o, std::ostream& out) : o_(o), out_(out) {}

  int run(std::ostream& err);

 private:
  void load();
  void load_switchover();  // switchover.cpp
  void plan();
  void check(Move& m);
  void check_switchover(Move& m);
  // Makes the target the master and the source its replica (both paused); rolled back by
  // demote() when what follows fails.
  void promote(Move& m);
  void promote_by_sentinel(Move& m);
  void demote(Move& m);
  void check_proxies();
  void start_sync(Move& m);
  void wait_synced();
  void wait_streaming(Move& m);
  void flip(Move& m);
  void each_proxy(const std::function<void(RedisClient&)>& fn);
  void on_proxies(const std::vector<std::string>& args);
  void reload_proxies();
  void detach(Move& m);

  const MigrateOptions& o_;
  std::ostream& out_;
  config::Config config_;
  std::string text_;  // the config file as it is now
  std::vector<std::unique_ptr<RedisClient>> proxies_;
  std::vector<Move> moves_;
  std::vector<double> pauses_;
  bool backed_up_ = false;
  // Switchover: Sentinel promoted a target; there is nothing to roll back after that.
  bool sentinel_promoted_ = false;
};

}  // namespace preshard::ctl::migration
