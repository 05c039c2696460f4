#include <spdlog/spdlog.h>

#include "preshard/client/client_conn.hpp"
#include "preshard/proxy/ops.hpp"
#include "preshard/resp/encode.hpp"

namespace preshard::client {

// Reply slots: reserved in request order, filled in any order (from instances, merges, the
// proxy itself), written in order.

void ClientConn::on_reply(uint64_t seq, std::string_view raw) {
  if (closed_) return;  // the client left; its late replies land nowhere
  if (seq == stream_slot_ && seq != kNoSlot) {
    out_.append(raw);  // the streamed reply's last part, after the others
    raw = {};
    stream_slot_ = kNoSlot;
  }
  bool unblocked = blocked_ && seq == blocked_slot_;
  if (unblocked) {
    blocked_ = false;
    stats::ThreadStats::sub(ctx_.stats().blocked_clients);
  }
  proxy::after_reply(ctx_, state_, unblocked);
  if (seq == kNoSlot) return;
  count_command(seq, replies_.complete(seq, raw, out_), raw);
  // Replies of commands already sent keep coming while the client does not read: past the hard
  // limit it is closed, as Redis's client-output-buffer-limit does, and what it held is freed.
  if (output_bytes() > ctx_.settings().client_output_hard_limit_bytes) {
    spdlog::warn(
        "client {} {}: {} bytes of replies unread, over client_output_hard_limit_bytes; "
        "closing",
        id_, transport_.peer(), output_bytes());
    count_error(core::errors::Kind::kLimit);
    transport_.reset_on_close();
    close();
    return;
  }
  request_flush();
  resume_if_possible();
}

void ClientConn::block(uint64_t slot) {
  if (!blocked_) stats::ThreadStats::add(ctx_.stats().blocked_clients);
  blocked_ = true;
  blocked_slot_ = slot;
}

uint64_t ClientConn::reserve() {
  uint64_t seq = replies_.reserve();
  if (tag_pending_) {
    tag_pending_ = false;
    replies_.tag(seq, {state_.cmd_row, state_.cmd_rejected, cmd_start_.time_since_epoch().count()});
    if (state_.cmd_silent) replies_.silence(seq);  // CLIENT REPLY OFF or SKIP
    request_slot_ = seq;
  }
  return seq;
}

void ClientConn::reply_now(std::string_view raw) {
  uint64_t seq = reserve();
  count_command(seq, replies_.complete(seq, raw, out_), raw);
  request_flush();
}

void ClientConn::error_now(const core::errors::Error& error) {
  count_error(error.kind);
  // One scratch string per worker thread, not per client: reply_now copies it out at once.
  thread_local std::string scratch;
  scratch.clear();
  resp::append_error(scratch, error.text);
  reply_now(scratch);
}

void ClientConn::close_after_replies() {
  if (closed_) return;
  close_when_done_ = true;
  // Inside a dispatch the reply of the command asking for it is not queued yet: the input loop
  // finishes once it returns.
  if (!processing_) finish_if_done();
}

void ClientConn::on_failure(uint64_t seq, const core::errors::Error& error) {
  if (closed_) return;
  if (seq == stream_slot_ && seq != kNoSlot) {
    stream_cut(error);
    return;
  }
  if (seq != kNoSlot) count_error(error.kind);
  std::string reply;
  resp::append_error(reply, error.text);
  on_reply(seq, reply);
}

}  // namespace preshard::client
