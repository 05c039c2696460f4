#pragma once
// Whether, and how long, a worker waits after writing a turn's replies to clients for the
// commands those replies bring back, before it writes the turn's commands to instances.
//
// A client at pipeline depth 1 sends its next command only once it has its reply. Written out
// together, the replies of one turn reach their clients while the worker is still writing that
// turn's commands to instances, so the clients' next commands miss that write and leave one turn
// later. The clients then settle into two cohorts that alternate turns, and every instance is
// woken once per cohort. Waiting a few microseconds for the answered clients merges the cohorts:
// each instance then gets both cohorts' commands in one write (MGET of 10 keys at -P 1 over 128
// instances: 3.6-4.0 instance wakeups per command become 2.7-2.9; see docs/BENCHMARKS.md).
//
// The wait ends when as many client reads arrived as clients were answered, when none arrived
// for `gap`, or after `max`. Clients that never answer within `gap` (far away, or idle) make
// every wait a miss: after kMissesToProbe misses in a row only one turn in kProbeEvery waits,
// until a wait finds something again. Pure: the caller polls, reads the clock and counts reads.
#include <chrono>
#include <cstdint>

namespace preshard::core {

class GatherPolicy {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr unsigned kMissesToProbe = 256;
  static constexpr unsigned kProbeEvery = 16;

  struct Limits {
    std::chrono::microseconds max{100};  // 0: never wait
    std::chrono::microseconds gap{20};
  };

  GatherPolicy() = default;
  explicit GatherPolicy(Limits limits) : limits_(limits) {}
  void set_limits(Limits limits) { limits_ = limits; }

  // At the end of a turn that answered clients and has commands to write to instances.
  bool should_wait();
  // While waiting: `arrivals` client reads so far, the last one at `last` (or `start`).
  bool keep_waiting(Clock::time_point start, Clock::time_point last, Clock::time_point now,
                    uint64_t arrivals, uint64_t answered) const;
  // After the wait.
  void record(uint64_t arrivals);

 private:
  Limits limits_;
  unsigned misses_ = 0;   // waits in a row that brought no client read
  uint64_t skipped_ = 0;  // turns seen while probing
};

}  // namespace preshard::core
