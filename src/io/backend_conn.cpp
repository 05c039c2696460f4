#include "preshard/io/backend_conn.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "preshard/core/errors.hpp"
#include "preshard/io/worker.hpp"
#include "preshard/resp/encode.hpp"

namespace preshard::io {

namespace {
constexpr size_t kReadChunk = 64 * 1024;
}

BackendConn::BackendConn(Worker& worker, size_t shard, router::TargetId target,
                         config::Endpoint address)
    : worker_(worker), shard_(shard), target_(target), endpoint_(std::move(address)) {}

void BackendConn::submit_block(std::span<const resp::Request> reqs, std::shared_ptr<ReplySink> sink,
                               uint64_t tag, uint64_t inner_tag) {
  auto now = Clock::now();
  if (state_ == State::kDown) {
    if (now < retry_at_) {
      fail_now(reqs, *sink, tag, inner_tag);
      return;
    }
    state_ = State::kIdle;
  }
  stats::ThreadStats::add(worker_.stats().backend_requests, reqs.size());
  if (is_subscriber_) {
    for (const resp::Request& r : reqs) resp::append_command(out_, r);  // no reply awaited
  } else {
    unsent_ += reqs.size();
    for (size_t i = 0; i + 1 < reqs.size(); ++i) {
      resp::append_command(out_, reqs[i]);
      pending_.push_back({sink, inner_tag, now});
    }
    resp::append_command(out_, reqs.back());
    pending_.push_back({std::move(sink), tag, now});
  }
  if (holds_ != 0) return;  // queued: sent once released
  if (state_ == State::kIdle) {
    connect();
  } else if (state_ == State::kConnected && !flush_queued()) {
    worker_.defer_flush(shared_from_this());
  }
}

void BackendConn::fail_now(std::span<const resp::Request> reqs, ReplySink& sink, uint64_t tag,
                           uint64_t inner_tag) {
  stats::ThreadStats::add(worker_.stats().backend_errors, reqs.size());
  core::errors::Error error = core::errors::shard_unavailable(shard_, down_reason_);
  if (is_subscriber_) {
    sink.on_failure(shard_, error);
    return;
  }
  for (size_t i = 0; i < reqs.size(); ++i) {
    sink.on_failure(i + 1 == reqs.size() ? tag : inner_tag, error);
  }
}

void BackendConn::release(Hold h) {
  holds_ &= ~static_cast<unsigned>(h);
  if (holds_ != 0) return;
  // The timeout of a held command counts from its release, not from its arrival.
  auto now = Clock::now();
  for (size_t i = pending_.size() - unsent_; i < pending_.size(); ++i) pending_[i].queued_at = now;
  if (state_ == State::kIdle && (!pending_.empty() || !out_.empty())) {
    connect();
  } else if (state_ == State::kConnected && !flush_queued()) {
    worker_.defer_flush(shared_from_this());
  }
}

void BackendConn::when_drained(std::function<void()> f) {
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

void BackendConn::retire(const std::shared_ptr<BackendConn>& successor) {
  retired_ = true;
  if (unsent_ > 0) {
    // out_ holds exactly the unsent commands: they move, in order, with their sinks.
    successor->out_ = std::move(out_);
    out_.clear();
    for (size_t i = pending_.size() - unsent_; i < pending_.size(); ++i) {
      successor->pending_.push_back(std::move(pending_[i]));
    }
    pending_.resize(pending_.size() - unsent_);
    successor->unsent_ = unsent_;
    unsent_ = 0;
  }
  successor_ = successor;
  notify_if_drained();
}

void BackendConn::notify_if_drained() {
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

void BackendConn::connect() {
  state_ = State::kConnecting;
  connect_started_ = Clock::now();
  uint64_t epoch = ++epoch_;
  socket_ = std::make_unique<tcp::socket>(worker_.io());
  error_code ec;
  auto addr = asio::ip::make_address(endpoint_.host, ec);
  if (!ec) {
    connect_to(tcp::endpoint(addr, endpoint_.port), epoch);
    return;
  }
  if (!resolver_) resolver_ = std::make_unique<tcp::resolver>(worker_.io());
  resolver_->async_resolve(
      endpoint_.host, std::to_string(endpoint_.port),
      [self = shared_from_this(), epoch](const error_code& rec, tcp::resolver::results_type r) {
        if (epoch != self->epoch_) return;
        if (rec || r.empty()) {
          self->fail("cannot resolve host", "resolve: " + rec.message(), true);
          return;
        }
        self->connect_to(*r.begin(), epoch);
      });
}

void BackendConn::connect_to(const tcp::endpoint& ep, uint64_t epoch) {
  socket_->async_connect(ep, [self = shared_from_this(), epoch](const error_code& ec) {
    if (epoch != self->epoch_) return;
    if (ec) {
      stats::ThreadStats::add(self->worker_.stats().backend_connect_failures);
      std::string why =
          ec == asio::error::connection_refused ? "connection refused" : "cannot connect";
      self->fail(why, "connect: " + ec.message(), true);
      return;
    }
    self->on_connected(epoch);
  });
}

void BackendConn::on_connected(uint64_t) {
  error_code ec;
  socket_->set_option(tcp::no_delay(true), ec);
  state_ = State::kConnected;
  backoff_ms_ = 0;
  stats::ThreadStats::add(worker_.stats().backend_connections);
  spdlog::debug("shard {}: connected to {}", shard_, endpoint_.to_string());
  read_more();
  flush();
}

void BackendConn::flush() {
  if (state_ != State::kConnected || write_active_ || out_.empty() || holds_ != 0) return;
  stats::ThreadStats::add(worker_.stats().backend_writes);
  writing_.swap(out_);
  unsent_ = 0;
  write_active_ = true;
  asio::async_write(*socket_, asio::buffer(writing_),
                    [self = shared_from_this(), epoch = epoch_](const error_code& ec, size_t) {
                      // A reset since (teardown) already cleared the write state.
                      if (epoch != self->epoch_) return;
                      self->write_active_ = false;
                      if (ec) {
                        self->fail("connection lost", "write: " + ec.message(), false);
                        return;
                      }
                      if (self->writing_.capacity() > (1u << 20)) {
                        std::string().swap(self->writing_);
                      } else {
                        self->writing_.clear();
                      }
                      self->flush();
                    });
}

void BackendConn::read_more() {
  char* buf = framer_.prepare(kReadChunk);
  socket_->async_read_some(asio::buffer(buf, kReadChunk),
                           [self = shared_from_this(), epoch = epoch_](
                               const error_code& ec, size_t n) { self->on_read(epoch, ec, n); });
}

void BackendConn::on_read(uint64_t epoch, const error_code& ec, size_t n) {
  if (epoch != epoch_) return;
  if (ec) {
    framer_.commit(0);
    fail("connection lost", "read: " + ec.message(), false);
    return;
  }
  framer_.commit(n);
  deliver_replies();
  if (epoch == epoch_ && state_ == State::kConnected) read_more();
}

void BackendConn::deliver_replies() {
  uint64_t epoch = epoch_;
  std::string_view raw;
  while (true) {
    resp::FrameStatus st = framer_.next(raw);
    if (st == resp::FrameStatus::kNeedMore) return;
    if (st == resp::FrameStatus::kError) {
      fail("protocol error from instance", "bad reply: " + framer_.error(), false);
      return;
    }
    if (is_subscriber_) {
      if (auto sub = subscriber_.lock()) sub->on_reply(shard_, raw);
      if (epoch != epoch_) return;
      continue;
    }
    if (pending_.empty()) {
      fail("unexpected reply", "a reply arrived with no command waiting", false);
      return;
    }
    Pending p = std::move(pending_.front());
    pending_.pop_front();
    p.sink->on_reply(p.tag, raw);
    if (epoch != epoch_) return;  // the sink's reaction reset this connection
    if ((on_drained_ || successor_) && sent_in_flight() == 0) {
      notify_if_drained();
      if (epoch != epoch_) return;
    }
  }
}

void BackendConn::check_timeouts(Clock::time_point now) {
  const Settings& s = worker_.settings();
  if (state_ == State::kConnecting &&
      now - connect_started_ > std::chrono::milliseconds(s.connect_timeout_ms)) {
    stats::ThreadStats::add(worker_.stats().backend_connect_failures);
    fail("connect timed out", "connect timed out", true);
    return;
  }
  if (state_ == State::kConnected && !untimed_ && sent_in_flight() > 0 &&
      now - pending_.front().queued_at > std::chrono::milliseconds(s.timeout_ms)) {
    stats::ThreadStats::add(worker_.stats().backend_timeouts, pending_.size());
    // The connection is reset: a reply that arrives late must not answer a later command.
    fail("timeout", "no reply within timeout_ms", false, true);
  }
}

void BackendConn::fail(const std::string& why, const std::string& log_reason, bool down,
                       bool timeout) {
  const Settings& s = worker_.settings();
  core::errors::Error error = timeout ? core::errors::shard_timeout(shard_, s.timeout_ms)
                                      : core::errors::shard_unavailable(shard_, why);
  spdlog::warn("shard {} ({}): {}; failing {} command(s)", shard_, endpoint_.to_string(),
               log_reason, pending_.size());
  teardown();
  if (down) {
    backoff_ms_ = backoff_ms_ == 0 ? s.retry_min_ms : std::min(backoff_ms_ * 2, s.retry_max_ms);
    retry_at_ = Clock::now() + std::chrono::milliseconds(backoff_ms_);
    down_reason_ = why;
    state_ = State::kDown;
  } else {
    state_ = State::kIdle;  // reconnect on the next command
  }
  // Answer last: a sink may submit new commands from its callback.
  std::deque<Pending> failed;
  failed.swap(pending_);
  stats::ThreadStats::add(worker_.stats().backend_errors, failed.size());
  for (Pending& p : failed) p.sink->on_failure(p.tag, error);
  if (is_subscriber_) {
    if (auto sub = subscriber_.lock()) sub->on_failure(shard_, error);
  }
  notify_if_drained();
}

void BackendConn::teardown() {
  ++epoch_;  // handlers of the old connection now do nothing
  if (socket_) {
    error_code ignored;
    socket_->close(ignored);
  }
  if (resolver_) resolver_->cancel();
  framer_.reset();
  out_.clear();
  writing_.clear();
  write_active_ = false;
  unsent_ = 0;
}

void BackendConn::close() {
  teardown();
  state_ = State::kIdle;
  std::deque<Pending> failed;
  failed.swap(pending_);
  auto error = core::errors::shard_unavailable(shard_, "proxy shutting down");
  for (Pending& p : failed) p.sink->on_failure(p.tag, error);
}

}  // namespace preshard::io
