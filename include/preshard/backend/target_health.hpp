#pragma once
#include <atomic>
#include <cstdint>
#include <string>

#include "preshard/config/endpoint.hpp"

#include "preshard/core/errors.hpp"
#include "preshard/net/asio.hpp"
#include "preshard/net/settings.hpp"

namespace preshard::backend {

namespace asio = boost::asio;
using net::Clock;
using net::error_code;
using net::tcp;

// What one worker knows of one target's health, shared by every connection it has to that
// target: after a failed connect the target is down, and commands for it fail at once, for a
// backoff that starts at retry_min_ms and doubles up to retry_max_ms; the first command after
// it tries again. The backoff also ends when any worker (or the shard monitor) connects to the
// target (`news`: a counter shared across threads, per target address): an instance back from
// a restart, or reachable after a reload's new settings, serves every worker's clients at once,
// not after each worker's own backoff.
class TargetHealth {
 public:
  // `news`: the count of connections made to this target, by every thread (null: none shared).
  explicit TargetHealth(std::atomic<uint64_t>* news = nullptr) : news_(news) {}

  // Down, inside the backoff, and nobody connected since: a command fails at once.
  bool refusing(Clock::time_point now) const {
    return down_ && now < retry_at_ &&
           (!news_ || news_->load(std::memory_order_relaxed) == news_seen_);
  }
  bool down() const { return down_; }
  const std::string& reason() const { return reason_; }
  // What a command refused during the backoff is told.
  core::errors::Error error(size_t shard, const config::Endpoint& address) const;

  void connect_failed(const std::string& why, const net::Settings& s);
  // The instance answers but is not a master (role fencing): refused like a failed connect,
  // with READONLY; `role` is what it said it is.
  void fenced(const std::string& role, const net::Settings& s);
  void connected();

 private:
  bool down_ = false;
  Clock::time_point retry_at_{};
  unsigned backoff_ms_ = 0;
  std::string reason_;
  std::string role_;  // set while refused for its role
  std::atomic<uint64_t>* news_;
  uint64_t news_seen_ = 0;  // at the last failure
};

}  // namespace preshard::backend
