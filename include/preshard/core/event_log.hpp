#pragma once
// The proxy's notable events (pure; ServerState guards it with a lock): a log of what happened
// (reloads, pauses, failovers, shards going down and coming back, slow shards) for /status and
// the dashboard, and Redis's LATENCY view of how long some of them took.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace preshard::core {

class EventLog {
 public:
  struct Event {
    int64_t unix_ms;
    std::string kind;  // "reload", "pause", "failover", "shard-down", "shard-up", "slow-shard"
    std::string text;
  };
  struct Sample {
    int64_t unix_seconds;
    uint64_t ms;
  };
  // One LATENCY event class: its samples (at most 160, one per second: Redis's
  // LATENCY_TS_LEN, the larger kept when two fall in the same second) and its maximum.
  struct Series {
    std::string name;
    std::deque<Sample> samples;
    uint64_t max_ms = 0;
  };
  static constexpr size_t kMaxEvents = 256;
  static constexpr size_t kMaxSamples = 160;

  void add_event(int64_t unix_ms, std::string kind, std::string text);
  void add_latency(int64_t unix_seconds, const std::string& name, uint64_t ms);
  const std::deque<Event>& events() const { return events_; }  // oldest first
  const std::vector<Series>& series() const { return series_; }
  const Series* find(const std::string& name) const;
  // LATENCY RESET: the named classes (every one when `names` is empty); how many were reset.
  size_t reset(const std::vector<std::string>& names);

 private:
  std::deque<Event> events_;
  std::vector<Series> series_;
};

}  // namespace preshard::core
