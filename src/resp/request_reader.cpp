#include "preshard/resp/request_reader.hpp"

#include <algorithm>
#include <climits>
#include <cstring>

#include "preshard/resp/inline_split.hpp"
#include "preshard/resp/string2ll.hpp"

namespace preshard::resp {

namespace {
// Bookkeeping each argument costs beyond its bytes, counted against max_request_bytes so that
// a flood of empty arguments is bounded too.
constexpr size_t kArgOverhead = 16;
// Never trust a declared length for more than this much memory up front. A longer argument
// gets kProven first, then (once that much has arrived) room for all of it: one small copy,
// where growing by doubling copied it again and again (fresh pages are slow to fault in).
constexpr size_t kMaxReserve = 16 * 1024 * 1024;
constexpr size_t kProven = 1024 * 1024;
}  // namespace

ReadStatus RequestReader::fail(std::string message) {
  state_ = State::kError;
  error_ = std::move(message);
  return ReadStatus::kError;
}

void RequestReader::end_payload() {
  direct_ = direct_end_ = nullptr;
  skip_left_ = 2;  // the CRLF after the payload, skipped unchecked like Redis does
  state_ = State::kBulkEnd;
}

std::pair<char*, size_t> RequestReader::direct_room() {
  if (state_ != State::kBulkData || bulk_left_ < kDirectMin) return {nullptr, 0};
  if (direct_ == direct_end_) {
    // The room is zero-filled as it is made: kDirectStep at a time, so that a client that
    // announces a large value and sends it slowly makes no more than that resident ahead.
    size_t step = std::min(bulk_left_, kDirectStep);
    char* at = cur_.extend_last(step);
    if (at == nullptr) return {nullptr, 0};  // not reserved yet: the copying path reserves
    direct_ = at;
    direct_end_ = at + step;
  }
  return {direct_, static_cast<size_t>(direct_end_ - direct_)};
}

void RequestReader::direct_commit(size_t n) {
  direct_ += n;
  bulk_left_ -= n;
  if (bulk_left_ == 0) end_payload();
}

ReadStatus RequestReader::finish(Request& out) {
  out.swap(cur_);
  cur_.clear();
  state_ = State::kStart;
  return ReadStatus::kRequest;
}

size_t RequestReader::line_end(std::string_view in, char terminator) {
  if (nul_in_line_) return std::string_view::npos;
  const void* t = std::memchr(in.data(), terminator, in.size());
  size_t end =
      t == nullptr ? in.size() : static_cast<size_t>(static_cast<const char*>(t) - in.data());
  // Lines are short (a length, or an inline command): a plain loop beats another memchr call.
  const char* p = in.data();
  if (std::find(p, p + end, '\0') != p + end) {
    nul_in_line_ = true;
    return std::string_view::npos;
  }
  return t == nullptr ? std::string_view::npos : end;
}

ReadStatus RequestReader::next(std::string_view& in, Request& out) {
  while (true) {
    switch (state_) {
      case State::kError:
        return ReadStatus::kError;

      case State::kStart:
        if (in.empty()) return ReadStatus::kNeedMore;
        cur_.clear();
        line_.clear();
        nul_in_line_ = false;
        if (in.front() == '*') {
          in.remove_prefix(1);
          state_ = State::kCountLine;
        } else {
          state_ = State::kInline;
        }
        break;

      case State::kInline: {
        size_t nl = line_end(in, '\n');
        size_t take = nl == std::string_view::npos ? in.size() : nl;
        if (line_.size() + take > limits_.max_inline_len) {
          return fail("Protocol error: too big inline request");
        }
        line_.append(in.data(), take);
        in.remove_prefix(take);
        if (nl == std::string_view::npos) return ReadStatus::kNeedMore;
        in.remove_prefix(1);
        if (!line_.empty() && line_.back() == '\r') line_.pop_back();
        if (!split_inline(line_, cur_)) return fail("Protocol error: unbalanced quotes in request");
        if (cur_.empty()) {  // a blank line is skipped, as Redis does
          state_ = State::kStart;
          break;
        }
        return finish(out);
      }

      case State::kCountLine:
      case State::kBulkLine: {
        // Redis reads a length line up to '\r' and then skips one more byte unchecked. A bulk's
        // line starts with its '$', checked once the whole line is in, as Redis does.
        size_t cr = line_end(in, '\r');
        size_t take = cr == std::string_view::npos ? in.size() : cr;
        if (line_.size() + take > limits_.max_inline_len) {
          return fail(state_ == State::kCountLine ? "Protocol error: too big mbulk count string"
                                                  : "Protocol error: too big bulk count string");
        }
        line_.append(in.data(), take);
        in.remove_prefix(take);
        if (cr == std::string_view::npos) return ReadStatus::kNeedMore;
        in.remove_prefix(1);
        if (state_ == State::kBulkLine) {
          char first = line_.empty() ? '\r' : line_.front();
          if (first != '$') {
            return fail(std::string("Protocol error: expected '$', got '") + first + "'");
          }
        }
        state_ = state_ == State::kCountLine ? State::kCountSkip : State::kBulkSkip;
        break;
      }

      case State::kCountSkip: {
        if (in.empty()) return ReadStatus::kNeedMore;
        in.remove_prefix(1);
        long long count = 0;
        if (!string2ll(line_, count) || count > INT_MAX) {
          return fail("Protocol error: invalid multibulk length");
        }
        if (count > 10 && limits_.unauthenticated) {
          return fail("Protocol error: unauthenticated multibulk length");
        }
        if (count <= 0) {  // "*0" and "*-1" are empty commands: nothing to run
          state_ = State::kStart;
          break;
        }
        args_left_ = count;
        state_ = State::kBulkStart;
        break;
      }

      case State::kBulkStart:
        if (in.empty()) return ReadStatus::kNeedMore;
        line_.clear();
        state_ = State::kBulkLine;
        break;

      case State::kBulkSkip: {
        if (in.empty()) return ReadStatus::kNeedMore;
        in.remove_prefix(1);
        long long len = 0;
        // line_ is "$<len>" (checked when its CR came).
        if (!string2ll(std::string_view(line_).substr(1), len) || len < 0 ||
            static_cast<unsigned long long>(len) > limits_.max_bulk_len) {
          return fail("Protocol error: invalid bulk length");
        }
        if (len > 16384 && limits_.unauthenticated) {
          return fail("Protocol error: unauthenticated bulk length");
        }
        bulk_left_ = static_cast<size_t>(len);
        if (cur_.payload_bytes() + (cur_.size() + 1) * kArgOverhead + bulk_left_ >
            limits_.max_request_bytes) {
          return fail("Protocol error: command larger than max_request_bytes");
        }
        cur_.begin_arg(bulk_left_ <= kMaxReserve ? bulk_left_ : kProven);
        state_ = State::kBulkData;
        break;
      }

      case State::kBulkData: {
        size_t take = std::min(bulk_left_, in.size());
        if (direct_ != direct_end_) {  // room already made in place (direct_room): fill it
          take = std::min(take, static_cast<size_t>(direct_end_ - direct_));
          std::memcpy(direct_, in.data(), take);
          direct_ += take;
        } else {
          // (kProven reserved at its length line for a long one; once that is full, the rest.)
          cur_.reserve_for_last(take, bulk_left_);
          cur_.append_to_last(in.data(), take);
        }
        in.remove_prefix(take);
        bulk_left_ -= take;
        if (bulk_left_ > 0) {
          if (in.empty()) return ReadStatus::kNeedMore;
          break;  // the room in place was full: the rest of the input is appended
        }
        end_payload();
        break;
      }

      case State::kBulkEnd: {
        size_t take = std::min(skip_left_, in.size());
        in.remove_prefix(take);
        skip_left_ -= take;
        if (skip_left_ > 0) return ReadStatus::kNeedMore;
        if (--args_left_ == 0) return finish(out);
        state_ = State::kBulkStart;
        break;
      }
    }
  }
}

}  // namespace preshard::resp
