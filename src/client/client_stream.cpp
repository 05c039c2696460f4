#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "preshard/client/client_conn.hpp"

namespace preshard::client {

// A reply larger than reply_stream_bytes is written to the client as it arrives instead of
// being gathered: only when every earlier reply is already in the output (the order holds),
// and at most a window of it (stream_window()) is held before the instance connection stops
// reading. The slot stays reserved, so later replies wait behind it.

namespace {

// reply_stream_bytes, or half of client_max_output_bytes if less (a pub/sub message queued
// meanwhile still fits, push_message). Small: holding more only grows the buffers, and each
// regrowth copies them in one loop turn (128 MB held made other clients wait 300 ms).
uint64_t stream_window(const config::Settings& s) {
  return std::min(s.reply_stream_bytes, s.client_max_output_bytes / 2);
}

}  // namespace

bool ClientConn::stream_begin(uint64_t seq) {
  if (closed_ || seq == kNoSlot || stream_slot_ != kNoSlot || !replies_.is_next(seq) ||
      replies_.silent(seq)) {
    return false;  // gathered (and, silenced, dropped)
  }
  stream_slot_ = seq;
  stats::ThreadStats::add(ctx_.stats().streamed_replies);
  return true;
}

bool ClientConn::stream_part(uint64_t seq, std::string_view part, std::function<void()> resume) {
  if (closed_ || seq != stream_slot_) return true;  // the client left: the rest is dropped
  out_.append(part);
  request_flush();
  if (output_bytes() < stream_window(ctx_.settings())) return true;
  stream_resume_ = std::move(resume);
  return false;
}

void ClientConn::wake_stream() {
  if (stream_resume_ && output_bytes() < stream_window(ctx_.settings()) / 2) {
    std::exchange(stream_resume_, nullptr)();
  }
}

void ClientConn::stream_cut(const core::errors::Error& why) {
  // Part of the reply is already written: no error can follow it on this connection.
  spdlog::warn("client {} {}: a streamed reply was cut off ({}); closing", id_, transport_.peer(),
               why.text);
  count_error(why.kind);
  close();  // what the kernel holds still goes, then EOF: the client sees a cut reply
}

}  // namespace preshard::client
