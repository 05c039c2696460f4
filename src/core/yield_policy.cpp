#include "preshard/core/yield_policy.hpp"

namespace preshard::core {

bool YieldPolicy::should_yield(unsigned k, Clock::time_point now) {
  if (k >= max_ || now < quiet_until_) return false;
  if (k == 0 && misses_ >= kMissesToProbe) return ++skipped_ % kProbeEvery == 0;
  return true;
}

void YieldPolicy::record(unsigned k, bool found_work, Clock::time_point before,
                         Clock::time_point after) {
  if (after - before > kSlowYield) quiet_until_ = after + kQuietAfterSlow;
  if (k != 0) return;
  if (found_work) {
    misses_ = 0;
    skipped_ = 0;
  } else if (misses_ < kMissesToProbe) {
    ++misses_;
  }
}

}  // namespace preshard::core
