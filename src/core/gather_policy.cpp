#include "preshard/core/gather_policy.hpp"

namespace preshard::core {

bool GatherPolicy::should_wait() {
  if (limits_.max.count() == 0) return false;
  if (misses_ >= kMissesToProbe) return ++skipped_ % kProbeEvery == 0;
  return true;
}

bool GatherPolicy::keep_waiting(Clock::time_point start, Clock::time_point last,
                                Clock::time_point now, uint64_t arrivals, uint64_t answered) const {
  return arrivals < answered && now - start < limits_.max && now - last < limits_.gap;
}

void GatherPolicy::record(uint64_t arrivals) {
  if (arrivals > 0) {
    misses_ = 0;
    skipped_ = 0;
  } else if (misses_ < kMissesToProbe) {
    ++misses_;
  }
}

}  // namespace preshard::core
