#include <spdlog/spdlog.h>

#include "preshard/backend/stream_conn.hpp"
#include "preshard/net/worker.hpp"

namespace preshard::backend {

void StreamConn::deliver_replies() {
  uint64_t epoch = epoch_;
  std::string_view raw;
  while (true) {
    if (framer_.streaming()) {
      if (!deliver_part()) return;
      continue;
    }
    resp::FrameStatus st = framer_.next(raw);
    if (st == resp::FrameStatus::kNeedMore) {
      if (framer_.begun_bytes() == 0 || handshake_left_ > 0) return;
      on_progress();
      // A large reply whose client takes it in parts is not gathered: one read at a time.
      if (framer_.begun_bytes() < worker_.settings().reply_stream_bytes || !begin_stream()) return;
      framer_.begin_stream();
      continue;
    }
    if (st == resp::FrameStatus::kError) {
      fail("protocol error from instance", "bad reply: " + framer_.error(), false);
      return;
    }
    if (handshake_left_ > 0) {
      if (!on_handshake_reply(raw)) return;
      continue;
    }
    on_reply(raw);
    if (epoch != epoch_) return;  // the reply's handling reset this connection
  }
}

bool StreamConn::deliver_part() {
  std::string_view part;
  bool last = false;
  resp::FrameStatus st = framer_.next_part(part, last);
  if (st == resp::FrameStatus::kNeedMore) return false;
  if (st == resp::FrameStatus::kError) {
    fail("protocol error from instance", "bad reply: " + framer_.error(), false);
    return false;
  }
  uint64_t epoch = epoch_;
  if (last) {
    on_reply(part);
    return epoch == epoch_;
  }
  if (!on_reply_part(part)) {
    if (epoch == epoch_) reading_paused_ = true;
    return false;
  }
  return epoch == epoch_;
}

std::function<void()> StreamConn::resumer() {
  return [weak = weak_from_this(), epoch = epoch_] {
    auto self = weak.lock();
    if (!self) return;
    // Never inside the caller's frame (a client's write completion or close).
    asio::post(self->worker_.io(), [self, epoch] { self->resume_reading(epoch); });
  };
}

void StreamConn::resume_reading(uint64_t epoch) {
  if (epoch != epoch_ || !reading_paused_) return;
  reading_paused_ = false;
  deliver_replies();
  if (epoch == epoch_ && live() && !reading_paused_) read_more();
}

bool StreamConn::on_handshake_reply(std::string_view raw) {
  const HandshakeStep& step = handshake_[handshake_.size() - handshake_left_];
  StepResult result = step.check(raw);
  const std::string& why = result.why;
  if (result.fence) {
    spdlog::warn("shard {} ({}): the instance is a {}, not a master; failing {} command(s)", shard_,
                 endpoint_.to_string(), why, in_flight_for_log());
    teardown();
    health_->fenced(why, worker_.settings());
    on_failed(health_->error(shard_, endpoint_));
    return false;
  }
  if (!why.empty()) {
    fail(why, "handshake: " + why, true);
    return false;
  }
  if (--handshake_left_ == 0) {
    state_ = State::kReady;
    health_->connected();
    flush();
  }
  return true;
}

}  // namespace preshard::backend
