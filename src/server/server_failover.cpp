// The server's part in failover: it asks Redis Sentinel for every shard's master before
// serving and follows Sentinel's switches after (sentinel/sentinel_watch.hpp), applying each
// with the same machinery as a reload. It never promotes anything itself (README, "Failover").
#include <spdlog/spdlog.h>

#include <algorithm>

#include "preshard/server/server.hpp"

namespace preshard::server {

namespace {

// The address is one of the shard's instances in the file (its master or a listed replica).
bool serves(const config::Config& c, size_t shard, const config::Endpoint& ep) {
  if (shard >= c.instances.size()) return false;
  const auto& replicas = c.replicas[shard];
  return c.instances[shard] == ep ||
         std::find(replicas.begin(), replicas.end(), ep) != replicas.end();
}

}  // namespace

void Server::learn_masters_at_start() {
  size_t n = config_.instances.size();
  learned_.assign(n, std::nullopt);
  masters_.assign(n, {});
  state_.sentinels = static_cast<unsigned>(config_.sentinels.size());
  if (config_.sentinels.empty()) return;
  sentinel_ = std::make_unique<sentinel::SentinelWatch>(
      control_, state_.names, config_,
      [this](size_t shard, const config::Endpoint& master, const std::string& how) {
        on_sentinel_master(shard, master, how);
      });
  sentinel_->start();
  // Bounded: a Sentinel that does not answer is given up on for the start (the watch keeps
  // trying afterwards).
  auto deadline =
      Clock::now() +
      std::chrono::milliseconds(std::max(config_.timeout_ms, config_.connect_timeout_ms)) +
      std::chrono::milliseconds(200);
  while (!sentinel_->first_round_done() && Clock::now() < deadline && !control_.stopped()) {
    control_.run_one_until(deadline);
  }
  control_.restart();
  size_t known = sentinel_->shards_known();
  if (known == 0) {
    state_.masters_from = "config (no Sentinel answered at start)";
    spdlog::error(
        "sentinel: no Sentinel of {} named a master at start: serving from the file's map (role "
        "checks still refuse writes to replicas); still asking",
        config_.sentinels.size());
    return;
  }
  state_.masters_from = "sentinel";
  spdlog::info("sentinel: {} of {} shards' masters learned from the Sentinels", known, n);
}

config::Config Server::routed_config() const {
  config::Config c = config_;
  for (size_t i = 0; i < learned_.size() && i < c.instances.size(); ++i) {
    if (!learned_[i] || *learned_[i] == c.instances[i] || !serves(c, i, *learned_[i])) continue;
    // The new master leaves the replicas, and the old one takes its place there.
    auto& replicas = c.replicas[i];
    *std::find(replicas.begin(), replicas.end(), *learned_[i]) = c.instances[i];
    c.instances[i] = *learned_[i];
  }
  return c;
}

void Server::on_sentinel_master(size_t shard, const config::Endpoint& master,
                                const std::string& how) {
  if (shard >= learned_.size() || stopping_) return;
  if (!serves(config_, shard, master)) {
    // Routing keys to an instance of another shard would mix two shards' data: refused. The
    // usual cause is a sentinel_name that names the wrong shard, or a replica missing from
    // the shard's entry.
    spdlog::error(
        "sentinel: names {} as shard {}'s master ({}), but the config does not list it for that "
        "shard: ignored (list every instance of a shard in its entry)",
        master.to_string(), shard, how);
    return;
  }
  learned_[shard] = master;
  masters_[shard].learned = how;
  bool moves = table_ && !(table_->address(table_->primary(shard)) == master);
  if (!serving_ || !moves) {
    record_masters();
    return;
  }
  ++masters_[shard].failovers;
  ++state_.failovers;
  spdlog::warn("failover: shard {} now goes to {} (was {}; learned from {})", shard,
               master.to_string(), table_->address(table_->primary(shard)).to_string(), how);
  state_.record_event("failover", "shard " + std::to_string(shard) + " failed over from " +
                                      table_->address(table_->primary(shard)).to_string() + " to " +
                                      master.to_string() + " (" + how + ")");
  // Several switches at once (a machine lost) make one new table.
  if (publish_queued_) return;
  publish_queued_ = true;
  asio::post(control_, [this, learned = Clock::now()] {
    publish_queued_ = false;
    if (stopping_) return;
    publish([this, learned](uint64_t generation) {
      // LATENCY's "failover": from learning the switch to every worker routing by it.
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - learned);
      state_.record_latency("failover", static_cast<uint64_t>(ms.count()));
      spdlog::info("failover: generation {} in effect on every worker", generation);
    });
  });
}

void Server::record_masters() {
  for (size_t i = 0; i < masters_.size() && table_ && i < table_->shard_count(); ++i) {
    masters_[i].address = table_->address(table_->primary(i)).to_string();
  }
  state_.set_masters(masters_);
}

}  // namespace preshard::server
