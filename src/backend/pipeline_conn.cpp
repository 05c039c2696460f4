#include "preshard/backend/pipeline_conn.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "preshard/net/worker.hpp"
#include "preshard/resp/encode.hpp"

namespace preshard::backend {

void PipelineConn::submit_block(std::span<const resp::Request> reqs,
                                std::shared_ptr<ReplySink> sink, uint64_t tag, uint64_t inner_tag,
                                bool script) {
  if (!can_queue()) {
    return fail_block(reqs.size(), *sink, tag, inner_tag, health_->error(shard(), endpoint()));
  }
  // Bounded: once shard_max_queue_bytes wait, a block is refused. A block that finds room goes
  // whole (at most the bound plus one client's block), so a command larger than the bound is
  // not refused for a small one of another client that waits before it.
  uint64_t limit = worker_.settings().shard_max_queue_bytes;
  if (queued_bytes() >= limit) {
    return fail_block(reqs.size(), *sink, tag, inner_tag,
                      core::errors::shard_overloaded(shard(), limit));
  }
  for (const resp::Request& r : reqs) append_request(r);
  auto now = Clock::now();
  if (pending_.empty()) front_since_ = now;
  stats::ThreadStats::add(worker_.stats().backend_requests, reqs.size());
  count_shard(&stats::ShardCounters::requests, reqs.size());
  count_shard(&stats::ShardCounters::in_flight, reqs.size());
  unsent_ += reqs.size();
  for (size_t i = 0; i + 1 < reqs.size(); ++i) pending_.push_back({sink, inner_tag, now});
  pending_.push_back({std::move(sink), tag, now, script,
                      ScriptMark(script ? worker_.state().scripts_running(shard()) : nullptr)});
  start_sending();
  // Over the bound (one large command): handed to the socket now rather than at the end of the
  // loop turn, so that a command pipelined right behind it is not refused.
  if (queued_bytes() > limit) flush();
}

void PipelineConn::fail_block(size_t n, ReplySink& sink, uint64_t tag, uint64_t inner_tag,
                              const core::errors::Error& error) {
  stats::ThreadStats::add(worker_.stats().backend_errors, n);
  count_failed(error.kind, n);
  for (size_t i = 0; i < n; ++i) sink.on_failure(i + 1 == n ? tag : inner_tag, error);
}

void PipelineConn::count_failed(core::errors::Kind kind, size_t n) {
  if (shard_stats_ != nullptr) {
    stats::ThreadStats::add(shard_stats_->errors_by_kind[static_cast<size_t>(kind)], n);
  }
}

void PipelineConn::release(Hold h) {
  holds_ &= ~static_cast<unsigned>(h);
  if (holds_ != 0) return;
  // The timeout of a held command counts from its release, not from its arrival.
  auto now = Clock::now();
  for (size_t i = pending_.size() - unsent_; i < pending_.size(); ++i) pending_[i].queued_at = now;
  if (!queue_empty() || ready()) start_sending();
}

void PipelineConn::when_drained(std::function<void()> f) {
  if (sent_in_flight() == 0) {
    f();
    return;
  }
  if (on_drained_) {
    // Two waiters (two PAUSEs at once): chain them.
    on_drained_ = [first = std::move(on_drained_), second = std::move(f)] {
      first();
      second();
    };
  } else {
    on_drained_ = std::move(f);
  }
}

void PipelineConn::retire(const std::shared_ptr<PipelineConn>& successor) {
  if (unsent_ > 0) {
    // The queue holds exactly the unsent commands: they move, in order, with their sinks.
    move_queued_to(*successor);
    for (size_t i = pending_.size() - unsent_; i < pending_.size(); ++i) {
      successor->pending_.push_back(std::move(pending_[i]));
    }
    pending_.pop_back(unsent_);
    successor->unsent_ = unsent_;
    unsent_ = 0;
  }
  successor_ = successor;
  notify_if_drained();
}

void PipelineConn::notify_if_drained() {
  if (sent_in_flight() != 0) return;
  if (on_drained_) {
    auto f = std::move(on_drained_);
    on_drained_ = nullptr;
    f();
  }
  if (successor_) {
    auto next = std::move(successor_);
    successor_.reset();
    close();
    next->release(kAwaitPredecessor);
  }
}

void PipelineConn::on_reply(std::string_view raw) {
  if (sent_in_flight() == 0) {
    // A reply for which no command was sent: the instance misbehaves. It must never take the
    // place of a command still waiting to be written.
    fail("unexpected reply", "a reply arrived with no command waiting", false);
    return;
  }
  Pending p = std::move(pending_.front());
  pending_.pop_front();
  kill_deadline_ = {};
  if (shard_stats_ != nullptr) {
    sub_shard(&stats::ShardCounters::in_flight);
  }
  if (shard_stats_ != nullptr && worker_.settings().track_latency) {
    // Stamped by this read (StreamConn::on_read): no clock read per reply.
    auto took = worker_.last_stamp() - p.queued_at;
    shard_stats_->rtt.record(static_cast<uint64_t>(
        std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(took).count())));
  }
  // Only a script's running time is measured (a clock read per reply would cost every command).
  if (!pending_.empty() && pending_.front().script) front_since_ = Clock::now();
  uint64_t e = epoch();
  p.sink->on_reply(p.tag, raw);
  if (e != epoch()) return;  // the sink's reaction reset this connection
  if ((on_drained_ || successor_) && sent_in_flight() == 0) notify_if_drained();
}

bool PipelineConn::begin_stream() {
  if (sent_in_flight() == 0) return false;  // on_reply() resets the connection
  return pending_.front().sink->stream_begin(pending_.front().tag);
}

bool PipelineConn::on_reply_part(std::string_view part) {
  Pending& p = pending_.front();
  return p.sink->stream_part(p.tag, part, resumer());
}

void PipelineConn::on_progress() {
  // The timeout bounds a silence: a large reply may take longer than timeout_ms to arrive.
  if (sent_in_flight() > 0) pending_.front().queued_at = worker_.last_stamp();
}

void PipelineConn::check_timeouts(Clock::time_point now) {
  check_connect_timeout(now);
  if (killer_) killer_->check_timeouts(now);
  if (!ready() || !extra_wait_ || sent_in_flight() == 0) return;
  auto bound = std::chrono::milliseconds(worker_.settings().timeout_ms) + *extra_wait_;
  if (reading_paused() && now - pending_.front().queued_at > bound) {
    // A streamed reply's client took nothing for that long: it alone is cut off (closed), the
    // rest of its reply is read and dropped, and the commands behind it are answered.
    Pending& front = pending_.front();
    front.queued_at = now;
    front.sink->on_failure(
        front.tag, core::errors::shard_timeout(shard(), static_cast<unsigned>(bound.count())));
    resumer()();
    return;
  }
  if (now - pending_.front().queued_at > bound) {
    // Killed only if it has itself been running that long: a script that waited behind
    // slow commands times out with them instead (the running one may be someone else's).
    const Pending& front = pending_.front();
    if (front.script && kill_deadline_ == Clock::time_point{} &&
        now - std::max(front.queued_at, front_since_) > bound) {
      kill_script(now);
      return;
    }
    if (kill_deadline_ != Clock::time_point{} && now < kill_deadline_) return;
    stats::ThreadStats::add(worker_.stats().backend_timeouts, pending_.size());
    count_shard(&stats::ShardCounters::timeouts, pending_.size());
    // The connection is reset: a reply that arrives late must not answer a later command.
    fail("timeout", "no reply within timeout_ms", false, bound);
  }
}

namespace {
// Logs what the instance said to the kill; the script's own client gets the script's error.
class KillSink : public ReplySink {
 public:
  explicit KillSink(size_t shard) : shard_(shard) {}
  void on_reply(uint64_t, std::string_view raw) override {
    spdlog::warn("shard {}: a script ran past timeout_ms; kill: {}", shard_,
                 raw.substr(0, raw.find('\r')));
  }
  void on_failure(uint64_t, const core::errors::Error&) override {}

 private:
  size_t shard_;
};
}  // namespace

void PipelineConn::kill_script(Clock::time_point now) {
  kill_deadline_ = now + std::chrono::milliseconds(worker_.settings().timeout_ms);
  if (!killer_) {
    killer_ = std::make_shared<PipelineConn>(worker_, shard(), target(), endpoint(), health_);
    std::vector<HandshakeStep> steps = handshake();
    std::erase_if(steps, [](const HandshakeStep& s) { return !s.on_side_connections; });
    killer_->set_handshake(std::move(steps));
    killer_->set_tls(tls_name());
    killer_->set_mode(mode());
  }
  static const resp::Request kScriptKill{"SCRIPT", "KILL"};
  static const resp::Request kFunctionKill{"FUNCTION", "KILL"};
  auto sink = std::make_shared<KillSink>(shard());
  killer_->submit(kScriptKill, sink, 0);
  killer_->submit(kFunctionKill, sink, 0);
}

void PipelineConn::on_failed(const core::errors::Error& error) {
  kill_deadline_ = {};
  if (killer_) std::exchange(killer_, nullptr)->close();  // the script it was for is gone
  // Answer last: a sink may submit new commands from its callback.
  core::Ring<Pending> failed;
  failed.swap(pending_);
  unsent_ = 0;
  stats::ThreadStats::add(worker_.stats().backend_errors, failed.size());
  sub_shard(&stats::ShardCounters::in_flight, failed.size());
  count_failed(error.kind, failed.size());
  for (size_t i = 0; i < failed.size(); ++i) failed[i].sink->on_failure(failed[i].tag, error);
  notify_if_drained();
}

}  // namespace preshard::backend
