#include "preshard/backend/target_health.hpp"

#include <algorithm>

namespace preshard::backend {

void TargetHealth::connect_failed(const std::string& why, const net::Settings& s) {
  backoff_ms_ = backoff_ms_ == 0 ? s.retry_min_ms : std::min(backoff_ms_ * 2, s.retry_max_ms);
  retry_at_ = Clock::now() + std::chrono::milliseconds(backoff_ms_);
  reason_ = why;
  down_ = true;
}

void TargetHealth::connected() {
  down_ = false;
  backoff_ms_ = 0;
}

}  // namespace preshard::backend
