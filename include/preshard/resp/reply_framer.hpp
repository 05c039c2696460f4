#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

struct redisReader;

namespace preshard::resp {

enum class FrameStatus { kNeedMore, kReply, kError };

// Splits the byte stream a backend sends into whole RESP2 replies, without building objects:
// hiredis's redisReader validates and frames, and the proxy forwards the exact bytes. The framer
// keeps its own copy of unconsumed bytes, since hiredis discards what it has parsed.
class ReplyFramer {
 public:
  ReplyFramer();
  ~ReplyFramer();
  ReplyFramer(const ReplyFramer&) = delete;
  ReplyFramer& operator=(const ReplyFramer&) = delete;

  // Space to receive into (at least `min` bytes), then commit what was received.
  char* prepare(size_t min);
  void commit(size_t n);
  void feed(std::string_view bytes);

  // kReply: `reply` views the next whole reply, valid until the next call on this framer.
  FrameStatus next(std::string_view& reply);
  std::string error() const;
  // Drops all state, for a new connection.
  void reset();

 private:
  void compact();

  redisReader* reader_ = nullptr;
  // Received bytes (not zero-filled on growth); [head_, size_) not yet returned as replies.
  std::unique_ptr<char[]> buf_;
  size_t capacity_ = 0;
  size_t size_ = 0;
  size_t head_ = 0;    // start of the reply being framed
  size_t fed_ = 0;     // bytes of buf_ given to hiredis so far
  size_t parsed_ = 0;  // bytes of buf_ hiredis has consumed (its cursor, in our offsets)
  size_t prepared_at_ = 0;
};

}  // namespace preshard::resp
