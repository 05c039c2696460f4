#include "preshard/resp/reply_framer.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>

#include "preshard/resp/string2ll.hpp"

namespace preshard::resp {

namespace {
// A buffer grown by one huge reply is given back once it is empty.
constexpr size_t kKeepCapacity = 1 << 20;
// More elements than any reply can hold: a count beyond this is a protocol error, not an
// overflow of pending_.
constexpr long long kMaxCount = std::numeric_limits<long long>::max() / 4;
// RESP's longest bulk (Redis's proto-max-bulk-len is capped at 512 MB by default, but may be
// raised); anything beyond 2^62 is garbage.
constexpr long long kMaxBulk = std::numeric_limits<long long>::max() / 4;

std::string printable(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string(1, c);
  char hex[8];
  std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(c));
  return hex;
}
}  // namespace

void ReplyFramer::reset() {
  if (capacity_ > kKeepCapacity) {
    buf_.reset();
    capacity_ = 0;
  }
  size_ = head_ = scan_ = line_seen_ = prepared_at_ = 0;
  pending_ = 0;
  whole_ = 0;
  streaming_ = false;
  body_left_ = 0;
  error_.clear();
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
  scan_ -= head_;
  head_ = 0;
}

char* ReplyFramer::prepare(size_t min, size_t whole_limit) {
  if (capacity_ - size_ < min || head_ == size_) compact();
  if (capacity_ - size_ < min) {
    size_t cap = std::max(capacity_ * 2, size_ + min);
    if (whole_ > cap - head_ && whole_ <= whole_limit) cap = head_ + whole_ + min;
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

bool ReplyFramer::fail(std::string why) {
  error_ = std::move(why);
  return false;
}

bool ReplyFramer::element() {
  const char* start = buf_.get() + scan_;
  size_t avail = size_ - scan_;
  // The line's end: search only bytes not searched before (a long line arrives in pieces).
  size_t from = std::max<size_t>(line_seen_, 1);
  if (avail <= from) return false;
  const void* cr = std::memchr(start + from, '\r', avail - from);
  if (cr == nullptr) {
    line_seen_ = avail;
    return false;
  }
  size_t cr_at = static_cast<const char*>(cr) - start;
  if (cr_at + 1 >= avail) {
    line_seen_ = cr_at;
    return false;
  }
  if (start[cr_at + 1] != '\n') return fail("Protocol error: no LF after CR in a reply line");
  std::string_view line(start + 1, cr_at - 1);
  size_t line_end = cr_at + 2;
  char type = start[0];
  long long n = 0;
  switch (type) {
    case '+':
    case '-':
    case '(':
    case ',':
      break;
    case '_':
      if (!line.empty()) return fail("Protocol error: bad nil");
      break;
    case '#':
      if (line != "t" && line != "f") return fail("Protocol error: bad boolean");
      break;
    case ':':
      if (!string2ll(line, n)) return fail("Protocol error: bad integer value");
      break;
    case '$':
    case '!':
    case '=': {
      if (!string2ll(line, n) || n < -1 || n > kMaxBulk || (n == -1 && type != '$')) {
        return fail("Protocol error: bad bulk length");
      }
      if (n >= 0) {
        size_t body_end = line_end + static_cast<size_t>(n) + 2;
        if (avail < body_end) {
          if (!streaming_) {
            whole_ = scan_ - head_ + body_end;  // what the reply needs so far (prepare())
            return false;
          }
          // The line is framed; its body passes on as it arrives.
          body_left_ = static_cast<uint64_t>(n) + 2;
          scan_ += line_end;
          line_seen_ = 0;
          return consume_body();
        }
        if (start[body_end - 2] != '\r' || start[body_end - 1] != '\n') {
          return fail("Protocol error: bulk not terminated by CRLF");
        }
        if (type == '=' && (n < 4 || start[line_end + 3] != ':')) {
          return fail("Protocol error: verbatim string without its 3-byte format and ':'");
        }
        line_end = body_end;
      }
      break;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      if (!string2ll(line, n) || n < -1 || n > kMaxCount || (n == -1 && type != '*')) {
        return fail("Protocol error: bad multi-bulk length");
      }
      uint64_t children =
          n <= 0 ? 0 : static_cast<uint64_t>(n) * (type == '%' || type == '|' ? 2 : 1);
      // An attribute precedes the element it describes: that element is still to come.
      pending_ += children + (type == '|' ? 1 : 0);
      break;
    }
    default:
      return fail("Protocol error, got \"" + printable(type) + "\" as reply type byte");
  }
  --pending_;
  scan_ += line_end;
  line_seen_ = 0;
  return true;
}

bool ReplyFramer::consume_body() {
  size_t take = static_cast<size_t>(std::min<uint64_t>(body_left_, size_ - scan_));
  const char* p = buf_.get() + scan_;
  // The body's last two bytes must be CRLF: check those among the ones taken now.
  for (size_t i = body_left_ > 2 ? static_cast<size_t>(body_left_ - 2) : 0; i < take; ++i) {
    if (p[i] != (body_left_ - i == 2 ? '\r' : '\n')) {
      return fail("Protocol error: bulk not terminated by CRLF");
    }
  }
  scan_ += take;
  body_left_ -= take;
  if (body_left_ > 0) return false;
  --pending_;
  return true;
}

FrameStatus ReplyFramer::next_part(std::string_view& part, bool& last) {
  if (!error_.empty()) return FrameStatus::kError;
  while (pending_ > 0 && (body_left_ > 0 ? consume_body() : element())) {
  }
  if (!error_.empty()) return FrameStatus::kError;
  last = pending_ == 0;
  if (scan_ == head_ && !last) return FrameStatus::kNeedMore;
  part = std::string_view(buf_.get() + head_, scan_ - head_);
  head_ = scan_;
  if (last) streaming_ = false;
  return FrameStatus::kReply;
}

FrameStatus ReplyFramer::next(std::string_view& reply) {
  if (!error_.empty()) return FrameStatus::kError;
  if (pending_ == 0) {
    if (head_ == size_) return FrameStatus::kNeedMore;
    pending_ = 1;
    scan_ = head_;
  }
  while (pending_ > 0) {
    if (!element()) return error_.empty() ? FrameStatus::kNeedMore : FrameStatus::kError;
  }
  reply = std::string_view(buf_.get() + head_, scan_ - head_);
  head_ = scan_;
  whole_ = 0;
  return FrameStatus::kReply;
}

}  // namespace preshard::resp
