#pragma once
#include <deque>
#include <memory>

#include "preshard/backend/reply_sink.hpp"
#include "preshard/backend/stream_conn.hpp"

namespace preshard::backend {

// A connection in subscriber mode (pub/sub): every reply, confirmations and messages alike,
// goes to the sink tagged with the shard. Each (P|S)(UN)SUBSCRIBE sent (one topic each) is
// answered by one confirmation, which the sink reports with confirmed(): the oldest one
// missing for longer than timeout_ms fails the connection. A failure of the connection is told
// to the sink once, tagged likewise.
class SubscriberConn : public StreamConn {
 public:
  SubscriberConn(net::Worker& worker, size_t shard, router::TargetId target,
                 config::Endpoint address, std::shared_ptr<TargetHealth> health,
                 std::weak_ptr<ReplySink> sink)
      : StreamConn(worker, shard, target, std::move(address), std::move(health)),
        sink_(std::move(sink)) {}

  // Sends a (P|S)(UN)SUBSCRIBE; a target known to be down fails at once, inside this call.
  void send(const resp::Request& req);
  // The sink saw a confirmation (of the oldest command still unconfirmed).
  void confirmed() {
    if (!unconfirmed_.empty()) unconfirmed_.pop_front();
  }
  void check_timeouts(Clock::time_point now);
  // Tells the sink nothing more (before a close whose failure it reports itself).
  void detach() { sink_.reset(); }

 private:
  void on_reply(std::string_view raw) override;
  void on_failed(const core::errors::Error& error) override;

  std::weak_ptr<ReplySink> sink_;
  std::deque<Clock::time_point> unconfirmed_;  // when each command still unconfirmed was sent
};

}  // namespace preshard::backend
