// preshardctl failover: a planned switchover of shards to their replicas, with the migration's
// machinery (migrate_switch.cpp: pause, catch up, promote, rewrite, reload, resume). This file
// holds what differs: choosing each shard's replica, checking it, and letting Sentinel promote
// it where Sentinels are configured.
#include <algorithm>
#include <sstream>
#include <thread>

#include "migration.hpp"
#include "preshard/config/sentinel_name.hpp"
#include "preshard/ctl/instance_ops.hpp"
#include "preshard/ctl/sentinel_query.hpp"

namespace preshard::ctl::migration {

namespace {

constexpr milliseconds kSentinelTimeout{30'000};  // SENTINEL FAILOVER until every proxy follows

bool contains(const std::vector<config::Endpoint>& v, const config::Endpoint& e) {
  return std::find(v.begin(), v.end(), e) != v.end();
}

}  // namespace

void Migration::load_switchover() {
  size_t n = config_.instances.size();
  // After an earlier failover the file may be stale: Sentinel says who is master now.
  std::vector<std::optional<config::Endpoint>> masters(n);
  if (!config_.sentinels.empty()) {
    std::ostringstream why;
    masters = sentinel_masters(config_, kInstanceTimeout, why);
    if (std::none_of(masters.begin(), masters.end(), [](const auto& m) { return m; })) {
      throw Failure("no Sentinel answered (" + why.str() + ")");
    }
  }
  std::vector<size_t> shards = o_.shards;
  for (size_t i = 0; i < n; ++i) {
    std::vector<config::Endpoint> members = {config_.instances[i]};
    members.insert(members.end(), config_.replicas[i].begin(), config_.replicas[i].end());
    config::Endpoint master = config_.instances[i];
    if (masters[i] && contains(members, *masters[i])) master = *masters[i];
    bool wanted =
        o_.host.empty() ? std::count(shards.begin(), shards.end(), i) > 0 : master.host == o_.host;
    if (!wanted) continue;
    if (members.size() < 2) {
      throw Failure("shard " + std::to_string(i) + " has no replica to fail over to");
    }
    // The replica that is in sync with the master and furthest along.
    Move m;
    m.shard = i;
    m.source = master;
    m.src = std::make_unique<RedisClient>(master, kInstanceTimeout);
    long long best = -1;
    for (const config::Endpoint& r : members) {
      if (r == master) continue;
      auto c = std::make_unique<RedisClient>(r, kInstanceTimeout);
      std::string why;
      auto info = c->info("replication", why);
      if (!info || field(*info, "role") != "slave" || field(*info, "master_link_status") != "up" ||
          field(*info, "master_port") != std::to_string(master.port)) {
        continue;
      }
      long long at = offset(*info, "slave_repl_offset");
      if (at > best) {
        best = at;
        m.target = r;
        m.tgt = std::move(c);
      }
    }
    if (!m.tgt) {
      throw Failure("shard " + std::to_string(i) + ": no replica of " + master.to_string() +
                    " is connected to it and in sync");
    }
    m.switchover = true;
    for (const config::Endpoint& r : members) {
      if (!(r == m.target)) m.replicas_after.push_back(r);
    }
    moves_.push_back(std::move(m));
  }
  if (moves_.empty()) {
    throw Failure(o_.host.empty() ? "no shard named" : "no shard's master is on host " + o_.host);
  }
  for (size_t s : shards) {
    if (s >= n) throw Failure("shard " + std::to_string(s) + " does not exist");
  }
}

void Migration::check_switchover(Move& m) {
  auto src = info_or_fail(*m.src, "replication");
  if (field(src, "role") != "master") {
    throw Failure("shard " + std::to_string(m.shard) + ": " + m.source.to_string() +
                  " is not a master (role " + field(src, "role") + ")");
  }
}

// Sentinel promotes the replica itself, so that its view never disagrees with the proxies':
// they learn the new master from its +switch-master, and the shard stays paused until every
// proxy routes there.
void Migration::promote_by_sentinel(Move& m) {
  std::string name =
      config::sentinel_name(config_.sentinel_name, m.shard, config_.instances.size());
  std::string why = "no Sentinel answered";
  bool asked = false;
  for (const config::Endpoint& s : config_.sentinels) {
    RedisClient sentinel(s, kInstanceTimeout, "", config_.sentinel_password);
    Reply r = sentinel.command({"SENTINEL", "FAILOVER", name});
    if (r.type == Reply::Type::kStatus) {
      asked = true;
      break;
    }
    why = s.to_string() + ": " + r.str;
    if (r.type == Reply::Type::kError) break;  // it answered: another one would say the same
  }
  if (!asked) throw Failure("shard " + std::to_string(m.shard) + ": SENTINEL FAILOVER: " + why);
  sentinel_promoted_ = true;
  auto t0 = Clock::now();
  // Sentinel chooses the replica (by its priority and offset): follow its choice.
  while (true) {
    auto masters = sentinel_masters(config_, kInstanceTimeout, out_);
    const auto& now = masters[m.shard];
    if (now && !(*now == m.source)) {
      if (!(*now == m.target)) {
        std::replace(m.replicas_after.begin(), m.replicas_after.end(), *now, m.target);
        m.target = *now;
        m.tgt = std::make_unique<RedisClient>(m.target, kInstanceTimeout);
      }
      break;
    }
    if (Clock::now() - t0 > kSentinelTimeout) {
      throw Failure("shard " + std::to_string(m.shard) + ": Sentinel has not promoted a replica " +
                    std::to_string(kSentinelTimeout.count()) + " ms after SENTINEL FAILOVER");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::string want = m.target.to_string();
  for (auto& p : proxies_) {
    while (true) {
      auto info = info_or_fail(*p, "failover");
      std::string line = field(info, "shard" + std::to_string(m.shard));
      if (line.rfind("master=" + want + ",", 0) == 0) break;
      if (Clock::now() - t0 > kSentinelTimeout) {
        throw Failure("shard " + std::to_string(m.shard) + ": " + p->endpoint().to_string() +
                      " still routes to " + line + " " + std::to_string(kSentinelTimeout.count()) +
                      " ms after SENTINEL FAILOVER (Sentinel may have chosen another replica)");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
}

}  // namespace preshard::ctl::migration
