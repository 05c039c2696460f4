#include "preshard/backend/subscriber_conn.hpp"

#include "preshard/net/worker.hpp"
#include "preshard/resp/encode.hpp"

namespace preshard::backend {

void SubscriberConn::send(const resp::Request& req) {
  if (!can_queue()) {
    stats::ThreadStats::add(worker_.stats().backend_errors);
    if (auto s = sink_.lock()) {
      s->on_failure(shard(), health_->error(shard(), endpoint()));
    }
    return;
  }
  stats::ThreadStats::add(worker_.stats().backend_requests);
  resp::append_command(out(), req);
  unconfirmed_.push_back(Clock::now());
  start_sending();
}

void SubscriberConn::check_timeouts(Clock::time_point now) {
  check_connect_timeout(now);
  auto bound = std::chrono::milliseconds(worker_.settings().timeout_ms);
  if (ready() && !unconfirmed_.empty() && now - unconfirmed_.front() > bound) {
    stats::ThreadStats::add(worker_.stats().backend_timeouts, unconfirmed_.size());
    fail("timeout", "no subscription confirmation within timeout_ms", false, bound);
  }
}

void SubscriberConn::on_reply(std::string_view raw) {
  if (auto s = sink_.lock()) s->on_reply(shard(), raw);
}

void SubscriberConn::on_failed(const core::errors::Error& error) {
  unconfirmed_.clear();
  if (auto s = sink_.lock()) s->on_failure(shard(), error);
}

}  // namespace preshard::backend
