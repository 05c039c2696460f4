#pragma once
#include <memory>

#include "preshard/backend/reply_sink.hpp"
#include "preshard/backend/stream_conn.hpp"

namespace preshard::backend {

// A connection in subscriber mode (pub/sub): every reply, confirmations and messages alike,
// goes to the sink tagged with the shard; none is matched to a command and none is awaited, so
// no reply timeout applies. A failure of the connection is told to the sink once, tagged
// likewise.
class SubscriberConn : public StreamConn {
 public:
  SubscriberConn(net::Worker& worker, size_t shard, router::TargetId target,
                 config::Endpoint address, std::shared_ptr<TargetHealth> health,
                 std::weak_ptr<ReplySink> sink)
      : StreamConn(worker, shard, target, std::move(address), std::move(health)),
        sink_(std::move(sink)) {}

  // Sends a (P|S)(UN)SUBSCRIBE; a target known to be down fails at once, inside this call.
  void send(const resp::Request& req);
  void check_timeouts(Clock::time_point now) { check_connect_timeout(now); }
  // Tells the sink nothing more (before a close whose failure it reports itself).
  void detach() { sink_.reset(); }

 private:
  void on_reply(std::string_view raw) override;
  void on_failed(const core::errors::Error& error) override;

  std::weak_ptr<ReplySink> sink_;
};

}  // namespace preshard::backend
