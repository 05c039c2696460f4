#include "preshard/io/context.hpp"

#include <spdlog/spdlog.h>

#include "preshard/io/pubsub_hub.hpp"
#include "preshard/io/session.hpp"

namespace preshard::io {

Context::Context(net::Worker& worker, std::shared_ptr<const router::RoutingTable> table)
    : worker_(worker),
      backends_(std::make_unique<backend::BackendPool>(worker, std::move(table))),
      pubsub_(std::make_shared<PubSubHub>(*this)) {
  worker_.on_tick([this](Clock::time_point now) {
    backends_->tick(now);
    maybe_finish_drain();
  });
}

Context::~Context() = default;

void Context::apply(std::shared_ptr<const router::RoutingTable> table,
                    std::shared_ptr<const net::Settings> settings) {
  auto before = backends_->table_ptr();
  worker_.apply(std::move(settings));
  backends_->retarget(std::move(table));
  pubsub_->retarget(*before);
}

void Context::remove_session(Session* s) {
  sessions_.erase(s);
  if (draining_ && !walking_) maybe_finish_drain();
}

std::vector<std::shared_ptr<Session>> Context::hold_sessions() {
  std::vector<std::shared_ptr<Session>> all;
  all.reserve(sessions_.size());
  for (Session* s : sessions_) all.push_back(s->shared_from_this());
  return all;
}

void Context::drain() {
  if (draining_) return;
  draining_ = true;
  drain_deadline_ = Clock::now() + std::chrono::milliseconds(settings().shutdown_timeout_ms);
  // Held, and not re-entered from remove_session(): a session that ends inside the loop must
  // not be freed (or the drain finished) while the loop still walks the others.
  walking_ = true;
  for (auto& s : hold_sessions()) s->drain();
  walking_ = false;
  maybe_finish_drain();
}

void Context::maybe_finish_drain() {
  if (!draining_ || walking_) return;
  bool expired = Clock::now() >= drain_deadline_;
  if (!sessions_.empty() && !expired) return;
  if (!sessions_.empty()) {
    spdlog::warn("worker {}: shutdown timeout, closing {} clients with commands in flight", index(),
                 sessions_.size());
    walking_ = true;  // one pass, however many sessions: not once per session closed
    for (auto& s : hold_sessions()) s->close();
    walking_ = false;
  }
  backends_->close_all();
  pubsub_->close_all();
  worker_.stop();
}

}  // namespace preshard::io
