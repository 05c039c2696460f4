#pragma once
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "preshard/backend/reply_sink.hpp"
#include "preshard/metrics/instance_info.hpp"
#include "preshard/proxy/context.hpp"

namespace preshard::proxy {

// Asks every shard's instance for its INFO each monitor_interval_ms, on a worker of its own
// (so that a slow instance never holds a client's command), and keeps what they said: health
// for /metrics and the dashboard even for shards no client uses, memory, keys and role. One
// probe per shard at a time: a hung instance times out after timeout_ms, and is then down.
class ShardMonitor : public backend::ReplySink, public std::enable_shared_from_this<ShardMonitor> {
 public:
  struct Sample {
    bool probed = false;  // a probe has ended (answered or failed)
    bool ok = false;
    bool timed_out = false;
    std::string error;       // the last failure
    int64_t last_ok_ms = 0;  // unix ms
    std::string address;     // the instance the probe went to
    metrics::InstanceInfo info;
  };

  explicit ShardMonitor(Context& ctx);
  // On the monitor's thread.
  void start();
  void stop();
  // Any thread: each shard's latest sample, immutable (a probe's answer replaces its shard's
  // pointer), so that INFO and the admin endpoint copy pointers, not 128 INFO texts.
  using Samples = std::vector<std::shared_ptr<const Sample>>;
  Samples samples() const;

  // backend::ReplySink: tag = shard.
  void on_reply(uint64_t shard, std::string_view raw) override;
  void on_failure(uint64_t shard, const core::errors::Error& error) override;

 private:
  void arm();
  void probe();
  void record(size_t shard, bool ok, bool timed_out, std::string error, metrics::InstanceInfo info);

  Context& ctx_;
  asio::steady_timer timer_;
  std::vector<bool> probing_;  // monitor thread only
  std::vector<std::string> probed_address_;
  mutable std::mutex mutex_;
  Samples samples_;
  bool stopped_ = false;
};

}  // namespace preshard::proxy
