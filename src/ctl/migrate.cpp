#include "preshard/ctl/migrate.hpp"

#include "migration.hpp"

#include <algorithm>
#include <memory>
#include <ostream>
#include <set>
#include <thread>

#include "preshard/config/config.hpp"
#include "preshard/ctl/config_edit.hpp"
#include "preshard/ctl/instance_ops.hpp"
#include "preshard/ctl/redis_client.hpp"

namespace preshard::ctl {

namespace migration {

void Migration::load() {
  auto loaded = config::load_config_file(o_.config_path);
  if (!loaded.errors.empty()) throw Failure(loaded.errors.front().to_string());
  config_ = std::move(*loaded.config);
  text_ = read_file(o_.config_path);
  std::vector<config::Endpoint> proxies = o_.proxies;
  if (proxies.empty()) proxies.push_back(config_.listen);
  for (const auto& p : proxies) {
    proxies_.push_back(
        std::make_unique<RedisClient>(p, kProxyTimeout, "admin", config_.admin_password));
  }
  if (o_.switchover) return load_switchover();
  std::set<size_t> shards;
  std::set<std::string> targets;
  for (const auto& [shard, target] : o_.moves) {
    if (shard >= config_.instances.size()) {
      throw Failure("shard " + std::to_string(shard) + " does not exist (the config has " +
                    std::to_string(config_.instances.size()) + ")");
    }
    if (!shards.insert(shard).second) throw Failure("shard " + std::to_string(shard) + " twice");
    if (!targets.insert(target.to_string()).second) {
      throw Failure(target.to_string() + " is the target of two shards");
    }
    for (size_t i = 0; i < config_.instances.size(); ++i) {
      if (config_.instances[i] == target) {
        throw Failure(target.to_string() + " already serves shard " + std::to_string(i));
      }
    }
    Move m;
    m.shard = shard;
    m.source = config_.instances[shard];
    m.target = target;
    m.src = std::make_unique<RedisClient>(m.source, kInstanceTimeout);
    m.tgt = std::make_unique<RedisClient>(m.target, kInstanceTimeout);
    moves_.push_back(std::move(m));
  }
}

void Migration::plan() {
  out_ << "plan: " << moves_.size() << " shard(s), config " << o_.config_path << ", proxies";
  for (const auto& p : proxies_) out_ << " " << p->endpoint().to_string();
  out_ << "\n";
  for (const auto& m : moves_) {
    out_ << "  shard " << m.shard << ": " << m.source.to_string() << " -> " << m.target.to_string()
         << "\n";
  }
  if (o_.switchover && !config_.sentinels.empty()) {
    out_ << "  each: PROXY PAUSE; wait until the replica's offset equals the master's; SENTINEL "
            "FAILOVER; wait until every proxy routes to the new master; rewrite the config; "
            "PROXY RELOAD; PROXY RESUME\n";
  } else {
    out_ << "  each: " << (o_.switchover ? "" : "REPLICAOF source on the target, wait for sync; ")
         << "PROXY PAUSE; wait until the target's offset equals the source's; REPLICAOF NO ONE "
            "on the target; REPLICAOF target on the source; rewrite the config; PROXY RELOAD; "
            "PROXY RESUME\n";
  }
}

void Migration::check(Move& m) {
  auto src = info_or_fail(*m.src, "replication");
  if (field(src, "role") != "master") {
    throw Failure("shard " + std::to_string(m.shard) + ": the source " + m.source.to_string() +
                  " is not a master (role " + field(src, "role") + ")");
  }
  auto tgt = info_or_fail(*m.tgt, "replication");
  if (field(tgt, "role") != "master") {
    throw Failure("shard " + std::to_string(m.shard) + ": the target " + m.target.to_string() +
                  " is already a replica");
  }
  Reply size = m.tgt->command({"DBSIZE"});
  if (size.type != Reply::Type::kInteger) throw Failure(m.target.to_string() + ": " + size.str);
  if (size.integer != 0) {
    throw Failure("shard " + std::to_string(m.shard) + ": the target " + m.target.to_string() +
                  " is not empty (" + std::to_string(size.integer) + " keys)");
  }
  auto sv = field(info_or_fail(*m.src, "server"), "redis_version");
  auto tv = field(info_or_fail(*m.tgt, "server"), "redis_version");
  if (version_number(tv) < version_number(sv)) {
    throw Failure("shard " + std::to_string(m.shard) + ": the target runs Redis " + tv +
                  ", older than the source's " + sv + " (it could not load its data)");
  }
}

void Migration::check_proxies() {
  for (auto& p : proxies_) {
    auto info = info_or_fail(*p, "proxy");
    if (field(info, "instances") != std::to_string(config_.instances.size())) {
      throw Failure(p->endpoint().to_string() + " is not a preshard proxy over " +
                    std::to_string(config_.instances.size()) + " instances");
    }
  }
}

void Migration::start_sync(Move& m) {
  expect_ok(*m.tgt, {"REPLICAOF", m.source.host, std::to_string(m.source.port)});
  m.replicating = true;
}

void Migration::wait_synced() {
  auto start = Clock::now();
  auto last_report = start;
  std::vector<bool> ready(moves_.size(), false);
  size_t left = moves_.size();
  while (left > 0) {
    for (size_t i = 0; i < moves_.size(); ++i) {
      if (ready[i]) continue;
      auto r = info_or_fail(*moves_[i].tgt, "replication");
      auto p = info_or_fail(*moves_[i].tgt, "persistence");
      if (field(r, "master_link_status") == "up" && field(r, "master_sync_in_progress") == "0" &&
          field(p, "loading") == "0") {
        ready[i] = true;
        --left;
        out_ << "shard " << moves_[i].shard << ": " << moves_[i].target.to_string()
             << " in sync with " << moves_[i].source.to_string() << "\n";
      }
    }
    if (left == 0) break;
    if (Clock::now() - start > o_.sync_timeout) {
      throw Failure(std::to_string(left) + " target(s) not in sync after " +
                    std::to_string(o_.sync_timeout.count()) + " ms");
    }
    if (Clock::now() - last_report > std::chrono::seconds(1)) {
      out_ << "syncing: " << moves_.size() - left << "/" << moves_.size() << " ready\n";
      out_.flush();
      last_report = Clock::now();
    }
    std::this_thread::sleep_for(kPoll);
  }
}

int Migration::run(std::ostream& err) {
  try {
    load();
    plan();
    if (o_.dry_run) return 0;
    check_proxies();
    for (auto& m : moves_) m.switchover ? check_switchover(m) : check(m);
    if (!o_.switchover) {
      for (auto& m : moves_) start_sync(m);
      wait_synced();
    }
  } catch (const Failure& f) {
    for (auto& m : moves_) detach(m);
    err << "preshardctl " << (o_.switchover ? "failover: " : "migrate: ") << f.what()
        << "; nothing was moved\n";
    return 1;
  }
  size_t done = 0;
  try {
    for (auto& m : moves_) {
      flip(m);
      ++done;
    }
  } catch (const Failure& f) {
    for (auto& m : moves_) detach(m);
    err << "preshardctl " << (o_.switchover ? "failover: " : "migrate: ") << f.what() << "; "
        << done << " shard(s) were moved before it, the others stay where they were\n";
    return 1;
  }
  std::vector<double> sorted = pauses_;
  std::sort(sorted.begin(), sorted.end());
  if (!sorted.empty()) {
    out_ << "moved " << sorted.size() << " shard(s); pause per shard: median "
         << sorted[sorted.size() / 2] << " ms, max " << sorted.back() << " ms\n";
  }
  return 0;
}

}  // namespace migration

int migrate(const MigrateOptions& options, std::ostream& out, std::ostream& err) {
  migration::Migration m(options, out);
  return m.run(err);
}

}  // namespace preshard::ctl
