#include "preshard/backend/target_health.hpp"

#include <algorithm>

namespace preshard::backend {

void TargetHealth::connect_failed(const std::string& why, const net::Settings& s) {
  backoff_ms_ = backoff_ms_ == 0 ? s.retry_min_ms : std::min(backoff_ms_ * 2, s.retry_max_ms);
  retry_at_ = Clock::now() + std::chrono::milliseconds(backoff_ms_);
  reason_ = why;
  role_.clear();
  down_ = true;
  if (news_) news_seen_ = news_->load(std::memory_order_relaxed);
}

void TargetHealth::fenced(const std::string& role, const net::Settings& s) {
  connect_failed("a " + role + ", not a master", s);
  role_ = role;
}

core::errors::Error TargetHealth::error(size_t shard, const config::Endpoint& address) const {
  if (!role_.empty()) return core::errors::shard_not_master(shard, address.to_string(), role_);
  return core::errors::shard_unavailable(shard, reason_);
}

void TargetHealth::connected() {
  if (news_) news_->fetch_add(1, std::memory_order_relaxed);
  down_ = false;
  backoff_ms_ = 0;
  role_.clear();
}

}  // namespace preshard::backend
