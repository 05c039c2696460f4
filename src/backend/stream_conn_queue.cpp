#include <algorithm>

#include "preshard/backend/stream_conn.hpp"
#include "preshard/net/worker.hpp"
#include "preshard/resp/encode.hpp"

namespace preshard::backend {

namespace {
// A command with this much payload shares its buffer; its arguments of kShareArg bytes or more
// are written from there. Below, copying is cheaper than a gathered write. (At 1 MB, a 100 KB
// SET spent 9% of the proxy's CPU copying its value; docs/performance.md.)
constexpr size_t kShareCommand = 64 * 1024;
constexpr size_t kShareArg = 64 * 1024;
}  // namespace

void StreamConn::append_request(const resp::Request& req) {
  if (req.payload_bytes() < kShareCommand) {
    resp::append_command(out_, req);
    return;
  }
  // One copy of a 500 MB value into a fresh buffer stalled the loop for seconds (the kernel
  // zeroing its pages); the request's own buffer is already there.
  std::shared_ptr<const std::string> owner = req.share();
  resp::append_array_header(out_, req.size());
  for (size_t i = 0; i < req.size(); ++i) {
    std::string_view arg = req[i];
    if (arg.size() < kShareArg) {
      resp::append_bulk(out_, arg);
      continue;
    }
    resp::append_bulk_header(out_, arg.size());
    segs_.push_back({out_.size(), owner, arg});
    shared_bytes_ += arg.size();
    out_.append("\r\n", 2);
  }
}

void StreamConn::move_queued_to(StreamConn& other) {
  other.out_ = std::move(out_);
  out_.clear();
  other.segs_ = std::move(segs_);
  segs_.clear();
  other.shared_bytes_ = std::exchange(shared_bytes_, 0);
}

void StreamConn::write_gathered() {
  std::vector<asio::const_buffer> pieces;
  pieces.reserve(writing_segs_.size() * 2 + 1);
  size_t from = 0;
  for (const Segment& seg : writing_segs_) {
    pieces.emplace_back(writing_.data() + from, seg.at - from);
    pieces.emplace_back(seg.bytes.data(), seg.bytes.size());
    from = seg.at;
  }
  pieces.emplace_back(writing_.data() + from, writing_.size() - from);
  // The segments' owners stay in writing_segs_ until on_written; the handler keeps the
  // transport (see write()).
  stream_->async_write_gathered(
      std::move(pieces),
      worker_.with_memory([self = shared_from_this(), keep = stream_, epoch = epoch_](
                              const error_code& ec, size_t) { self->on_written(epoch, ec); }));
}

}  // namespace preshard::backend
