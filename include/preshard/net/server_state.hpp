#pragma once
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "preshard/core/event_log.hpp"
#include "preshard/net/name_cache.hpp"
#include "preshard/stats/stats.hpp"

namespace preshard::net {

// Operations on every worker at once, run by the server's control thread (from any thread).
// `done` runs on the control thread.
class AdminOps {
 public:
  virtual ~AdminOps() = default;
  // Re-reads the config file; `done` gets "" once every worker uses the new table, or why the
  // file was refused (the running table then stays).
  virtual void reload(std::function<void(std::string error)> done) = 0;
  // Requests for the shards queue in every worker; `done` once nothing sent to them before is
  // unanswered. They resume by themselves after timeout_ms.
  virtual void pause(std::vector<size_t> shards, unsigned timeout_ms,
                     std::function<void()> done) = 0;
  virtual void resume(std::vector<size_t> shards, std::function<void()> done) = 0;
};

// What every worker may read about the whole process (for INFO and limits).
struct ServerState {
  std::string config_file;
  std::string hash;
  std::string hash_tag;
  unsigned threads = 1;
  unsigned listen_port = 0;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::atomic<uint64_t> config_generation{1};
  std::atomic<uint64_t> ops_per_sec{0};
  std::atomic<unsigned> clients{0};  // open client connections, all workers
  std::atomic<uint64_t> next_client_id{0};
  std::atomic<uint64_t> next_slowlog_id{0};  // SLOWLOG entry ids, across workers
  // Pub/sub clients beyond the first of a worker on a topic, all workers: while 0, PUBLISH and
  // NUMSUB counts from the instances are already Redis's (proxy/pubsub_counts.cpp).
  std::atomic<long long> pubsub_extra{0};
  // Connections made to an instance address by any worker or the shard monitor, counted in
  // one of kNewsSlots slots by the address's hash (a shared slot costs a spare retry): a change
  // ends a worker's reconnect backoff for that address (backend/target_health.hpp).
  static constexpr size_t kNewsSlots = 256;
  std::atomic<uint64_t>* connect_news(std::string_view address) {
    return &connect_news_[std::hash<std::string_view>{}(address) % kNewsSlots];
  }
  std::vector<std::unique_ptr<stats::ThreadStats>> thread_stats;  // one per worker
  // Scripts sent to each shard and not answered yet, all workers: a PING from a client of a
  // shard that may be busy with one is asked of the instance (proxy/busy_ping.cpp). Sized once,
  // before the workers start; null for a shard beyond (none counted).
  void count_scripts_of(size_t shards) { scripts_running_ = std::vector<std::atomic<int>>(shards); }
  std::atomic<int>* scripts_running(size_t shard) {
    return shard < scripts_running_.size() ? &scripts_running_[shard] : nullptr;
  }
  bool script_in_flight(size_t shard) const {
    return shard < scripts_running_.size() &&
           scripts_running_[shard].load(std::memory_order_relaxed) != 0;
  }
  AdminOps* admin = nullptr;
  std::shared_ptr<NameCache> names = std::make_shared<NameCache>();  // instance host names

  // Reloads, for INFO.
  std::atomic<bool> last_reload_ok{true};
  std::atomic<int64_t> last_reload_time{0};  // unix seconds; 0: never reloaded
  std::atomic<uint64_t> reloads{0};
  std::atomic<uint64_t> reload_failures{0};
  void record_reload(bool ok, const std::string& error) {
    std::lock_guard lock(reload_mutex_);
    last_reload_ok = ok;
    last_reload_time = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    (ok ? reloads : reload_failures).fetch_add(1);
    last_reload_error_ = error;
  }
  std::string last_reload_error() const {
    std::lock_guard lock(reload_mutex_);
    return last_reload_error_;
  }

  // Failover: every shard's master as routed now, how the proxy learned it ("config",
  // "sentinel-start", "switch-master", "sentinel-poll") and how often Sentinel moved it.
  struct ShardMaster {
    std::string address;
    std::string learned = "config";
    uint64_t failovers = 0;
  };
  void set_masters(std::vector<ShardMaster> m) {
    std::lock_guard lock(reload_mutex_);
    masters_ = std::move(m);
  }
  std::vector<ShardMaster> masters() const {
    std::lock_guard lock(reload_mutex_);
    return masters_;
  }
  std::atomic<unsigned> sentinels{0};     // configured
  std::atomic<unsigned> sentinels_up{0};  // subscribed to +switch-master now
  std::atomic<uint64_t> failovers{0};     // masters Sentinel moved since start
  // "config" (no Sentinels), "sentinel", or "config (no Sentinel answered at start)".
  std::atomic<const char*> masters_from{"config"};

  // The event log and LATENCY's samples (core/event_log.hpp), from any thread; rare events only.
  void record_event(std::string kind, std::string text) {
    int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
    std::lock_guard lock(events_mutex_);
    events_.add_event(ms, std::move(kind), std::move(text));
  }
  void record_latency(const std::string& name, uint64_t ms) {
    int64_t s = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
    std::lock_guard lock(events_mutex_);
    events_.add_latency(s, name, ms);
  }
  core::EventLog events() const {
    std::lock_guard lock(events_mutex_);
    return events_;
  }
  size_t reset_latency(const std::vector<std::string>& event_names) {
    std::lock_guard lock(events_mutex_);
    return events_.reset(event_names);
  }

  // PROXY PAUSE as the admin endpoint shows it: each shard's pause deadline ({} : not paused).
  void set_paused(const std::vector<size_t>& shards, std::chrono::steady_clock::time_point until) {
    std::lock_guard lock(reload_mutex_);
    for (size_t s : shards) {
      if (s >= paused_until_.size()) paused_until_.resize(s + 1);
      paused_until_[s] = until;
    }
  }
  bool paused(size_t shard) const {
    std::lock_guard lock(reload_mutex_);
    return shard < paused_until_.size() && std::chrono::steady_clock::now() < paused_until_[shard];
  }

 private:
  std::vector<std::atomic<int>> scripts_running_;
  mutable std::mutex reload_mutex_;
  mutable std::mutex events_mutex_;
  core::EventLog events_;
  std::string last_reload_error_;
  std::vector<std::chrono::steady_clock::time_point> paused_until_;
  std::vector<ShardMaster> masters_;
  std::array<std::atomic<uint64_t>, kNewsSlots> connect_news_{};
};

}  // namespace preshard::net
