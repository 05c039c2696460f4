#include "preshard/resp/reply_framer.hpp"

#include <hiredis/read.h>

#include <algorithm>
#include <cstring>

namespace preshard::resp {

namespace {
// hiredis moves its unparsed bytes to the front after each 1 KB parsed; feeding it small chunks
// keeps that copying proportional to what it parses.
constexpr size_t kFeedChunk = 4096;
// A buffer grown by one huge reply is given back once it is empty.
constexpr size_t kKeepCapacity = 1 << 20;
}  // namespace

ReplyFramer::ReplyFramer() {
  reset();
}

ReplyFramer::~ReplyFramer() {
  if (reader_ != nullptr) redisReaderFree(reader_);
}

void ReplyFramer::reset() {
  if (reader_ != nullptr) redisReaderFree(reader_);
  // No object functions: hiredis only frames, and hands back a non-null marker per reply.
  reader_ = redisReaderCreateWithFunctions(nullptr);
  if (capacity_ > kKeepCapacity) {
    buf_.reset();
    capacity_ = 0;
  }
  size_ = head_ = fed_ = parsed_ = prepared_at_ = 0;
}

void ReplyFramer::compact() {
  if (head_ == 0) return;
  if (head_ == size_ && capacity_ > kKeepCapacity) {
    buf_.reset();
    capacity_ = 0;
  } else {
    std::memmove(buf_.get(), buf_.get() + head_, size_ - head_);
  }
  size_ -= head_;
  fed_ -= head_;
  parsed_ -= head_;
  head_ = 0;
}

char* ReplyFramer::prepare(size_t min) {
  if (capacity_ - size_ < min || head_ == size_) compact();
  if (capacity_ - size_ < min) {
    size_t cap = std::max(capacity_ * 2, size_ + min);
    auto bigger = std::make_unique_for_overwrite<char[]>(cap);
    if (size_ > 0) std::memcpy(bigger.get(), buf_.get(), size_);
    buf_ = std::move(bigger);
    capacity_ = cap;
  }
  prepared_at_ = size_;
  return buf_.get() + size_;
}

void ReplyFramer::commit(size_t n) {
  size_ = prepared_at_ + n;
}

void ReplyFramer::feed(std::string_view bytes) {
  std::memcpy(prepare(bytes.size()), bytes.data(), bytes.size());
  commit(bytes.size());
}

FrameStatus ReplyFramer::next(std::string_view& reply) {
  while (true) {
    size_t len_before = reader_->len;
    size_t pos_before = reader_->pos;
    void* obj = nullptr;
    if (redisReaderGetReply(reader_, &obj) != REDIS_OK) return FrameStatus::kError;
    // hiredis may have dropped its first `pos` bytes (len shrank by that much) after parsing.
    size_t dropped = len_before - reader_->len;
    parsed_ += dropped + reader_->pos - pos_before;
    if (obj != nullptr) {
      reply = std::string_view(buf_.get() + head_, parsed_ - head_);
      head_ = parsed_;
      return FrameStatus::kReply;
    }
    if (fed_ == size_) return FrameStatus::kNeedMore;
    size_t chunk = std::min(kFeedChunk, size_ - fed_);
    if (redisReaderFeed(reader_, buf_.get() + fed_, chunk) != REDIS_OK) return FrameStatus::kError;
    fed_ += chunk;
  }
}

std::string ReplyFramer::error() const {
  return reader_ != nullptr && reader_->err != 0 ? std::string(reader_->errstr)
                                                 : std::string("unknown");
}

}  // namespace preshard::resp
