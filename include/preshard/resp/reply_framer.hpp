#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace preshard::resp {

enum class FrameStatus { kNeedMore, kReply, kError };

// Splits the byte stream a backend sends into whole RESP2/RESP3 replies without building
// objects, so the proxy forwards the exact bytes. It keeps one count (elements still to come),
// not a stack, so any nesting depth frames: hiredis 0.14's reader stops at 7 levels, and Redis
// itself sends deeper replies (a script's nested tables).
class ReplyFramer {
 public:
  ReplyFramer() = default;
  ReplyFramer(const ReplyFramer&) = delete;
  ReplyFramer& operator=(const ReplyFramer&) = delete;

  // Space to receive into (at least `min` bytes), then commit what was received. When the
  // buffer must grow and the reply being framed is a bulk whose length is known, it grows to
  // hold all of it at once (if that is at most `whole_limit` bytes), not by doubling: a 1 MB
  // value was copied five times on its way in.
  char* prepare(size_t min, size_t whole_limit = 0);
  void commit(size_t n);
  void feed(std::string_view bytes);

  // kReply: `reply` views the next whole reply, valid until the next call on this framer.
  FrameStatus next(std::string_view& reply);
  // Why the last kError: hiredis's wording ("Protocol error, got ... as reply type byte").
  const std::string& error() const { return error_; }
  // Drops all state, for a new connection.
  void reset();

  // A reply too large to gather is passed on in parts. After next() said kNeedMore,
  // begun_bytes() is what has arrived of the reply being framed; begin_stream() makes
  // next_part() hand it out as it is framed (complete elements, and a bulk's body as it
  // arrives, its CRLF still checked), `last` set on the part that ends it; next() then frames
  // whole replies again. Memory stays at one read, whatever the reply's size.
  size_t begun_bytes() const { return size_ - head_; }
  void begin_stream() {
    streaming_ = true;
    whole_ = 0;
  }
  bool streaming() const { return streaming_; }
  FrameStatus next_part(std::string_view& part, bool& last);

 private:
  void compact();
  // One element at scan_: false if it is not all here yet (or on error, with error_ set).
  bool element();
  bool fail(std::string why);
  // Streaming: takes what has arrived of a bulk's body (body_left_); true once all of it has.
  bool consume_body();

  // Received bytes (not zero-filled on growth); [head_, size_) not yet returned as replies.
  std::unique_ptr<char[]> buf_;
  size_t capacity_ = 0;
  size_t size_ = 0;
  size_t head_ = 0;       // start of the reply being framed
  size_t scan_ = 0;       // start of its next element
  size_t line_seen_ = 0;  // bytes after scan_ already searched for the line's end
  uint64_t pending_ = 0;  // elements of the current reply still to frame (0: between replies)
  size_t prepared_at_ = 0;
  bool streaming_ = false;
  uint64_t body_left_ = 0;  // streaming: bytes of the current bulk's body and CRLF to come
  size_t whole_ = 0;        // bytes from head_ that frame the current reply's pending bulk
  std::string error_;
};

}  // namespace preshard::resp
