#include "preshard/client/client_conn.hpp"

#include <spdlog/spdlog.h>

#include <utility>

#include "preshard/proxy/ops.hpp"
#include "preshard/resp/encode.hpp"

namespace preshard::client {

ClientConn::ClientConn(proxy::Context& ctx, net::tcp::socket socket,
                       std::shared_ptr<net::asio::ssl::context> tls)
    : ctx_(ctx),
      transport_(std::move(socket), std::move(tls)),
      id_(++ctx.state().next_client_id),
      reader_(ctx.settings().reader) {}

void ClientConn::start() {
  // As Redis: the default user, authenticated unless it is off or has a password.
  state_.set_user(ctx_.users().default_user(), !ctx_.users().auth_required());
  ctx_.add_client(this);
  stats::ThreadStats::add(ctx_.stats().connected_clients);
  stats::ThreadStats::add(ctx_.stats().total_connections_received);
  if (transport_.is_tls()) return start_tls();
  read_more();
}

void ClientConn::read_more() {
  // A blocked client is still read (into held_input_), as Redis does: that is how its leaving
  // is noticed.
  if (reading_ || closed_ || close_when_done_ || (paused_ && !blocked_)) return;
  reading_ = true;
  adapt_read_buffer(last_read_);  // what the last read brought is parsed or held by now
  auto into = boost::asio::buffer(read_buffer(), read_capacity());
  if (!blocked_ && held_input_.empty() && unparsed_.empty()) {
    // Inside a large argument: read the rest of it straight into the command (as Redis does
    // past PROTO_MBULK_BIG_ARG): no copy, and reads of up to kDirectStep.
    if (auto [at, room] = reader_.direct_room(); room >= kBigRead) {
      direct_read_ = true;
      into = boost::asio::buffer(at, room);
    }
  }
  transport_.async_read_some(into, [self = shared_from_this()](const net::error_code& ec,
                                                               size_t n) { self->on_read(ec, n); });
}

void ClientConn::adapt_read_buffer(size_t n) {
  if (!big_buf_) {
    if (n == kSmallRead) big_buf_ = std::make_unique_for_overwrite<char[]>(kBigRead);
    return;
  }
  small_reads_ = n <= kSmallRead ? small_reads_ + 1 : 0;
  if (small_reads_ >= kShrinkAfter) {
    big_buf_.reset();
    small_reads_ = 0;
  }
}

void ClientConn::on_read(const net::error_code& ec, size_t n) {
  reading_ = false;
  bool direct = std::exchange(direct_read_, false);
  last_read_ = ec ? 0 : direct ? kBigRead : n;  // a direct read keeps the read buffer
  if (closed_) return;
  if (ec) {
    if (ec == boost::asio::error::eof && !blocked_) {
      // The client closed its side: answer what it sent, then close.
      close_when_done_ = true;
      finish_if_done();
    } else {
      close();  // a blocked client that leaves is closed at once, as in Redis
    }
    return;
  }
  ctx_.worker().stamp();
  ctx_.note_client_read(n);
  stats::ThreadStats::add(ctx_.stats().total_net_input_bytes, n);
  if (direct) {
    reader_.direct_commit(n);
    read_more();
    return;
  }
  if (blocked_ || !held_input_.empty()) {
    // Commands behind a blocked one wait, in order, until it returns.
    hold_unparsed();
    held_input_.append(read_buffer(), n);
    if (blocked_) {
      // Bounded: past max_request_bytes the client is simply not read until it is unblocked.
      if (held_input_.size() < ctx_.settings().reader.max_request_bytes) read_more();
      return;
    }
    process_input();
    return;
  }
  unparsed_ = std::string_view(read_buffer(), n);
  process_input();
}

void ClientConn::hold_unparsed() {
  if (unparsed_.empty()) return;
  const char* held = held_input_.data();
  if (!held_input_.empty() && unparsed_.data() >= held &&
      unparsed_.data() < held + held_input_.size()) {
    held_input_.erase(0, static_cast<size_t>(unparsed_.data() - held));  // unparsed_ is its tail
  } else {
    held_input_.assign(unparsed_);  // it views the read buffer, which the next read reuses
  }
  unparsed_ = {};
}

void ClientConn::process_input() {
  if (processing_) return;  // a reply that arrives while dispatching must not re-enter
  processing_ = true;
  reader_.set_limits(ctx_.settings().reader);  // a reload's limits apply at once
  reader_unauth_ = false;
  if (unparsed_.empty() && !held_input_.empty()) unparsed_ = held_input_;
  while (!closed_) {
    if (close_when_done_) {
      unparsed_ = {};
      break;
    }
    if (over_limits()) {
      paused_ = true;
      break;
    }
    if (deferred_) {
      deferred_ = false;
      tag_pending_ = true;  // counted from its first dispatch
      proxy::dispatch_again(ctx_, *this, state_, request_);
      tag_pending_ = false;
      continue;
    }
    // Before AUTH, Redis's small bounds (an AUTH earlier in this input lifts them at once).
    if (bool unauth = !state_.authenticated && ctx_.users().auth_required();
        unauth != reader_unauth_) {
      resp::ReaderLimits limits = ctx_.settings().reader;
      limits.unauthenticated = reader_unauth_ = unauth;
      reader_.set_limits(limits);
    }
    // request_ may change (only a whole request replaces it: with no input left, it cannot).
    if (request_slot_ != kNoSlot && !unparsed_.empty()) keep_previous_command();
    resp::ReadStatus st = reader_.next(unparsed_, request_);
    if (st == resp::ReadStatus::kRequest) {
      begin_command();
      proxy::dispatch(ctx_, *this, state_, request_);
      tag_pending_ = false;
      continue;
    }
    if (st == resp::ReadStatus::kError) {
      stats::ThreadStats::add(ctx_.stats().protocol_errors);
      spdlog::debug("client {} {}: {}", id_, transport_.peer(), reader_.error());
      error_now(core::errors::protocol(reader_.error()));
      close_when_done_ = true;
      unparsed_ = {};
    }
    break;
  }
  processing_ = false;
  if (unparsed_.empty()) held_input_.clear();
  if (closed_) return;
  if (blocked_) {
    hold_unparsed();  // keep reading while blocked; what arrives waits behind the rest
    read_more();
  } else if (!paused_ && !close_when_done_) {
    read_more();
  } else if (close_when_done_) {
    finish_if_done();
  }
}

bool ClientConn::over_limits() const {
  const net::Settings& s = ctx_.settings();
  return blocked_ || (deferred_ && replies_.pending() > 0) ||
         replies_.pending() >= s.client_max_pending || output_bytes() >= s.client_max_output_bytes;
}

void ClientConn::resume_if_possible() {
  if (paused_ && !closed_ && !processing_ && !over_limits()) {
    paused_ = false;
    process_input();
  }
}

void ClientConn::request_flush() {
  if (!out_.empty() && !flush_queued()) ctx_.defer_flush(shared_from_this());
}

void ClientConn::flush() {
  if (closed_ || write_active_) return;
  if (out_.empty()) {
    finish_if_done();
    return;
  }
  writing_.swap(out_);
  write_active_ = true;
  transport_.async_write(
      boost::asio::buffer(writing_),
      ctx_.worker().with_memory([self = shared_from_this()](const net::error_code& ec, size_t n) {
        stats::ThreadStats::add(self->ctx_.stats().total_net_output_bytes, n);
        self->after_write(ec);
      }));
}

void ClientConn::after_write(const net::error_code& ec) {
  write_active_ = false;
  if (closed_) return;
  if (ec) {
    close();  // the client vanished: drop what is left
    return;
  }
  if (writing_.capacity() > (1u << 20)) {
    std::string().swap(writing_);
  } else {
    writing_.clear();
  }
  if (!out_.empty()) {
    flush();
  } else {
    finish_if_done();
  }
  wake_stream();
  resume_if_possible();
}

void ClientConn::finish_if_done() {
  if (closed_ || !close_when_done_) return;
  if (replies_.pending() == 0 && out_.empty() && !write_active_) close();
}

void ClientConn::drain() {
  if (closed_) return;
  close_when_done_ = true;
  // Ends a pending read with EOF; a client that is mid-command is not waited for.
  transport_.shutdown_receive();
  finish_if_done();
}

void ClientConn::close() {
  if (closed_) return;
  closed_ = true;
  transport_.close();
  if (blocked_) stats::ThreadStats::sub(ctx_.stats().blocked_clients);
  blocked_ = false;
  if (stream_resume_) std::exchange(stream_resume_, nullptr)();  // the rest is dropped
  proxy::release_client(ctx_, *this, state_);
  stats::ThreadStats::sub(ctx_.stats().connected_clients);
  ctx_.state().clients.fetch_sub(1, std::memory_order_relaxed);
  ctx_.remove_client(this);
}

}  // namespace preshard::client
