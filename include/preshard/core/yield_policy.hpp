#pragma once
// When a worker gives its CPU away before writing out a loop turn's commands and replies.
//
// Where the instances share the proxy's cores (the reference layout: 128 instances and the
// proxy on one machine), instances the proxy woke earlier are waiting for the CPU. Letting them
// run first (sched_yield) brings their replies, and more client commands, into this turn, so
// more commands leave in each write and each instance is woken fewer times. A yield that brings
// nothing stops the yielding for the turn. Two guards keep it harmless elsewhere:
// - a proxy on cores of its own finds nothing after yielding; after kMissesToProbe such turns
//   it only tries one turn in kProbeEvery;
// - a yield that lost the CPU for longer than kSlowYield (a busy neighbour process) stops the
//   yielding for kQuietAfterSlow.
// Pure: the caller yields, polls and reads the clock.
#include <chrono>
#include <cstdint>

namespace preshard::core {

class YieldPolicy {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr unsigned kMissesToProbe = 1024;
  static constexpr unsigned kProbeEvery = 16;
  static constexpr std::chrono::microseconds kSlowYield{2000};
  static constexpr std::chrono::milliseconds kQuietAfterSlow{100};

  explicit YieldPolicy(unsigned max_yields = 0) : max_(max_yields) {}
  void set_max(unsigned max_yields) { max_ = max_yields; }

  // Before yield `k` (0-based) of a turn that has output to write.
  bool should_yield(unsigned k, Clock::time_point now);
  // After that yield: whether polling afterwards found work, and the clock before and after.
  void record(unsigned k, bool found_work, Clock::time_point before, Clock::time_point after);

 private:
  unsigned max_;
  unsigned misses_ = 0;   // consecutive turns whose first yield found nothing
  uint64_t skipped_ = 0;  // turns seen while probing
  Clock::time_point quiet_until_{};
};

}  // namespace preshard::core
