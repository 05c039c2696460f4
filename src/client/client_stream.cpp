#include <spdlog/spdlog.h>

#include <utility>

#include "preshard/client/client_conn.hpp"

namespace preshard::client {

// A reply larger than reply_stream_bytes is written to the client as it arrives instead of
// being gathered: only when every earlier reply is already in the output (the order holds),
// and at most half of client_max_output_bytes of it is held before the instance connection
// stops reading. The slot stays reserved, so later replies wait behind it.

bool ClientConn::stream_begin(uint64_t seq) {
  if (closed_ || seq == kNoSlot || stream_slot_ != kNoSlot || !replies_.is_next(seq)) return false;
  stream_slot_ = seq;
  stats::ThreadStats::add(ctx_.stats().streamed_replies);
  return true;
}

bool ClientConn::stream_part(uint64_t seq, std::string_view part, std::function<void()> resume) {
  if (closed_ || seq != stream_slot_) return true;  // the client left: the rest is dropped
  out_.append(part);
  request_flush();
  // Half the limit: a pub/sub message queued meanwhile still fits under it (push_message).
  if (output_bytes() < ctx_.settings().client_max_output_bytes / 2) return true;
  stream_resume_ = std::move(resume);
  return false;
}

void ClientConn::wake_stream() {
  if (stream_resume_ && output_bytes() < ctx_.settings().client_max_output_bytes / 4) {
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
