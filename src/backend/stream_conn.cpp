#include "preshard/backend/stream_conn.hpp"

#include <spdlog/spdlog.h>

#include "preshard/net/worker.hpp"
#include "preshard/resp/encode.hpp"

namespace preshard::backend {

namespace {
constexpr size_t kReadChunk = 64 * 1024;
}

StreamConn::StreamConn(net::Worker& worker, size_t shard, router::TargetId target,
                       config::Endpoint address, std::shared_ptr<TargetHealth> health)
    : worker_(worker),
      health_(std::move(health)),
      shard_stats_(worker.stats().shard(shard)),
      shard_(shard),
      target_(target),
      endpoint_(std::move(address)) {}

StreamConn::~StreamConn() = default;

bool StreamConn::can_queue() {
  return !health_->down() || !health_->refusing(Clock::now());  // no clock read when healthy
}

void StreamConn::start_sending() {
  if (!may_write()) return;  // held: sent once released
  if (state_ == State::kIdle) {
    connect();
  } else if (state_ == State::kReady && !flush_queued()) {
    worker_.defer_flush(shared_from_this());
  }
}

void StreamConn::connect() {
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
  // Off the loop, cached, one lookup per name at a time (net/name_cache.hpp); the connect
  // timeout covers the lookup, and an answer after it is ignored here but kept in the cache.
  worker_.state().names->resolve(
      worker_.io(), endpoint_.host, std::chrono::milliseconds(worker_.settings().dns_ttl_ms),
      [weak = weak_from_this(), epoch](const net::NameCache::Result& r) {
        auto self = weak.lock();
        if (!self || epoch != self->epoch_) return;
        if (r.addresses.empty()) {
          self->fail("cannot resolve host", "resolve: " + r.error, true);
          return;
        }
        self->connect_to(tcp::endpoint(r.addresses.front(), self->endpoint_.port), epoch);
      });
}

void StreamConn::connect_to(const tcp::endpoint& ep, uint64_t epoch) {
  socket_->async_connect(ep, [self = shared_from_this(), epoch](const error_code& ec) {
    if (epoch != self->epoch_) return;
    if (ec) {
      stats::ThreadStats::add(self->worker_.stats().backend_connect_failures);
      self->count_shard(&stats::ShardCounters::connect_failures);
      std::string why =
          ec == asio::error::connection_refused ? "connection refused" : "cannot connect";
      self->fail(why, "connect: " + ec.message(), true);
      return;
    }
    self->on_connected();
  });
}

void StreamConn::on_connected() {
  stats::ThreadStats::add(worker_.stats().backend_connections);
  count_shard(&stats::ShardCounters::connections);
  if (tls_name_.empty()) {
    stream_ = std::make_shared<net::Transport>(std::move(*socket_));
    socket_.reset();
    on_secured();
    return;
  }
  const auto& ctx = worker_.backend_tls();
  std::string why = ctx ? "" : "TLS is not configured (tls_backends)";
  stream_ = std::make_shared<net::Transport>(std::move(*socket_), ctx);
  socket_.reset();
  if (ctx)
    stream_->expect_server(tls_name_, worker_.settings().tls_backends_check_hostname == "yes", why);
  if (!why.empty()) {
    fail(why, "tls: " + why, true);
    return;
  }
  // The connect timeout covers the handshake too (the state is still kConnecting).
  stream_->async_handshake(
      [self = shared_from_this(), stream = stream_, epoch = epoch_](const error_code& ec) {
        if (epoch != self->epoch_) return;
        if (ec) {
          std::string cert = stream->verify_failure();
          std::string failed = "TLS handshake failed: " + (cert.empty() ? ec.message() : cert);
          stats::ThreadStats::add(self->worker_.stats().backend_tls_failures);
          self->fail(failed, failed, true);
          return;
        }
        self->on_secured();
      });
}

void StreamConn::on_secured() {
  spdlog::debug("shard {}: connected to {}{}", shard_, endpoint_.to_string(),
                tls_name_.empty() ? "" : " (TLS)");
  read_more();
  if (handshake_.empty()) {
    state_ = State::kReady;
    health_->connected();
    flush();
    return;
  }
  // The handshake goes alone; the queued commands follow once every step has been answered
  // (ROLE must say master before a command reaches the instance: role fencing).
  state_ = State::kHandshaking;
  handshake_left_ = handshake_.size();
  std::string hello;
  for (const HandshakeStep& step : handshake_) resp::append_command(hello, step.command);
  write(hello);
}

void StreamConn::flush() {
  if (state_ != State::kReady || write_active_ || out_.empty() || !may_write()) return;
  on_write_started();
  writing_segs_.swap(segs_);  // (empty: the last write's were released)
  shared_bytes_ = 0;
  write(out_);
}

void StreamConn::write(std::string& buffer) {
  stats::ThreadStats::add(worker_.stats().backend_writes);
  writing_.swap(buffer);
  buffer.clear();
  write_active_ = true;
  if (!writing_segs_.empty()) return write_gathered();
  // The transport is kept alive by the handler: a composed write touches it again after each
  // partial write, and a teardown may have dropped it by then (close() only cancels what is
  // still pending, not a step that already completed).
  stream_->async_write(
      asio::buffer(writing_),
      worker_.with_memory([self = shared_from_this(), keep = stream_, epoch = epoch_](
                              const error_code& ec, size_t) { self->on_written(epoch, ec); }));
}

void StreamConn::on_written(uint64_t epoch, const error_code& ec) {
  if (epoch != epoch_) return;  // a teardown since then already reset the write state
  write_active_ = false;
  writing_segs_.clear();  // the requests' buffers they shared are released
  if (ec) {
    fail("connection lost", "write: " + ec.message(), false);
    return;
  }
  if (writing_.capacity() > (1u << 20)) {
    std::string().swap(writing_);
  } else {
    writing_.clear();
  }
  flush();
}

void StreamConn::read_more() {
  // A reply up to reply_stream_bytes (and a read past it) is gathered whole: room for all of
  // it at once, once its length is known.
  char* buf = framer_.prepare(kReadChunk, worker_.settings().reply_stream_bytes + kReadChunk);
  auto into = asio::buffer(buf, kReadChunk);
  // A TLS read may also take several steps on the stream (as in write()).
  stream_->async_read_some(into,
                           [self = shared_from_this(), keep = stream_, epoch = epoch_](
                               const error_code& ec, size_t n) { self->on_read(epoch, ec, n); });
}

void StreamConn::on_read(uint64_t epoch, const error_code& ec, size_t n) {
  if (epoch != epoch_) return;
  if (ec) {
    framer_.commit(0);
    fail("connection lost", "read: " + ec.message(), false);
    return;
  }
  framer_.commit(n);
  worker_.stamp();
  deliver_replies();
  if (epoch == epoch_ && live() && !reading_paused_) read_more();
}

void StreamConn::check_connect_timeout(Clock::time_point now) {
  if ((state_ == State::kConnecting || state_ == State::kHandshaking) &&
      now - connect_started_ > std::chrono::milliseconds(worker_.settings().connect_timeout_ms)) {
    stats::ThreadStats::add(worker_.stats().backend_connect_failures);
    count_shard(&stats::ShardCounters::connect_failures);
    fail("connect timed out", "connect timed out", true);
  }
}

void StreamConn::fail(const std::string& why, const std::string& log_reason, bool down,
                      std::chrono::milliseconds timed_out_after) {
  const net::Settings& s = worker_.settings();
  core::errors::Error error =
      timed_out_after.count() > 0
          ? core::errors::shard_timeout(shard_, static_cast<unsigned>(timed_out_after.count()))
          : core::errors::shard_unavailable(shard_, why);
  spdlog::warn("shard {} ({}): {}; failing {} command(s)", shard_, endpoint_.to_string(),
               log_reason, in_flight_for_log());
  if (timed_out_after.count() > 0) {
    worker_.state().record_latency("slow-shard", static_cast<uint64_t>(timed_out_after.count()));
    worker_.state().record_event("slow-shard",
                                 error.text.substr(4) + " (" + endpoint_.to_string() + ")");
  }
  teardown();
  if (down) health_->connect_failed(why, s);
  on_failed(error);
}

void StreamConn::close() {
  teardown();
  on_failed(core::errors::shard_unavailable(shard_, "proxy shutting down"));
}

void StreamConn::teardown() {
  ++epoch_;  // handlers of the old connection now do nothing
  if (socket_) {
    error_code ignored;
    socket_->close(ignored);
  }
  if (stream_) {
    stream_->close();
    stream_.reset();  // its handlers hold it until they have run
  }
  state_ = State::kIdle;
  framer_.reset();
  out_.clear();
  writing_.clear();
  segs_.clear();
  writing_segs_.clear();
  shared_bytes_ = 0;
  write_active_ = false;
  reading_paused_ = false;
  handshake_left_ = 0;
  scripts_.clear();
}

void StreamConn::note_script_loaded(const std::string& sha, uint64_t gen) {
  // Bounded: forgetting only costs a SCRIPT LOAD sent again.
  if (gen != scripts_gen_ || scripts_.size() >= 4096) scripts_.clear();
  scripts_gen_ = gen;
  scripts_.insert(sha);
}

}  // namespace preshard::backend
