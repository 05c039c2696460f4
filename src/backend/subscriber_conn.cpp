#include "preshard/backend/subscriber_conn.hpp"

#include "preshard/net/worker.hpp"
#include "preshard/resp/encode.hpp"

namespace preshard::backend {

void SubscriberConn::send(const resp::Request& req) {
  if (!can_queue()) {
    stats::ThreadStats::add(worker_.stats().backend_errors);
    if (auto s = sink_.lock()) {
      s->on_failure(shard(), core::errors::shard_unavailable(shard(), health_->reason()));
    }
    return;
  }
  stats::ThreadStats::add(worker_.stats().backend_requests);
  resp::append_command(out(), req);  // no reply awaited
  start_sending();
}

void SubscriberConn::on_reply(std::string_view raw) {
  if (auto s = sink_.lock()) s->on_reply(shard(), raw);
}

void SubscriberConn::on_failed(const core::errors::Error& error) {
  if (auto s = sink_.lock()) s->on_failure(shard(), error);
}

}  // namespace preshard::backend
