#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "preshard/resp/request.hpp"

namespace preshard::resp {

struct ReaderLimits {
  size_t max_bulk_len = 512ull * 1024 * 1024;        // Redis proto-max-bulk-len
  size_t max_inline_len = 64 * 1024;                 // Redis PROTO_INLINE_MAX_SIZE
  size_t max_request_bytes = 1024ull * 1024 * 1024;  // Redis client-query-buffer-limit
  // Before AUTH (when one is needed): Redis's small bounds, 10 arguments and 16 KB a bulk.
  bool unauthenticated = false;
};

enum class ReadStatus { kNeedMore, kRequest, kError };

// Incremental parser of client bytes into commands: RESP arrays of bulk strings and inline
// commands, framed exactly as redis-server 7.0 frames them (same accepted inputs, same
// "Protocol error: ..." texts). Input may arrive split at any byte. After kError the reader
// stays in error; the connection must be closed.
class RequestReader {
 public:
  explicit RequestReader(ReaderLimits limits = {}) : limits_(limits) {}

  // Consumes bytes from the front of `in` until one command is complete (kRequest: it is
  // swapped into `out`), the input runs out (kNeedMore), or the input is malformed (kError).
  ReadStatus next(std::string_view& in, Request& out);

  // Where the rest of a large argument's payload may be read straight into the command, not
  // copied from a read buffer: {null, 0} unless the reader is inside a payload with at least
  // kDirectMin bytes still to come and their room reserved; at most kDirectStep at a time.
  // direct_commit(n) after reading n bytes there (n <= the size given).
  static constexpr size_t kDirectMin = 32 * 1024;    // Redis's PROTO_MBULK_BIG_ARG
  static constexpr size_t kDirectStep = 256 * 1024;  // room made (and zero-filled) at a time
  std::pair<char*, size_t> direct_room();
  void direct_commit(size_t n);

  // The error text for the client, e.g. "Protocol error: invalid bulk length".
  const std::string& error() const { return error_; }
  void set_limits(const ReaderLimits& limits) { limits_ = limits; }

 private:
  enum class State {
    kStart,
    kInline,
    kCountLine,
    kCountSkip,
    kBulkStart,
    kBulkLine,
    kBulkSkip,
    kBulkData,
    kBulkEnd,
    kError
  };
  ReadStatus fail(std::string message);
  ReadStatus finish(Request& out);
  void end_payload();  // the last payload byte is in: its CRLF next
  // Where the current line ends in `in` (npos: not yet). Redis finds it with strchr(), which
  // stops at a NUL: after a NUL no terminator is ever seen, and Redis waits for more input
  // until the line passes max_inline_len. So does this reader.
  size_t line_end(std::string_view in, char terminator);

  ReaderLimits limits_;
  State state_ = State::kStart;
  std::string line_;  // a length line or an inline command, without its terminator
  bool nul_in_line_ = false;
  Request cur_;
  long long args_left_ = 0;
  size_t bulk_left_ = 0;
  // The room made in place for the payload (direct_room): its next byte goes at direct_; the
  // argument's bytes end at direct_end_. Equal (or null) when there is none left.
  char* direct_ = nullptr;
  char* direct_end_ = nullptr;
  size_t skip_left_ = 0;
  std::string error_;
};

}  // namespace preshard::resp
