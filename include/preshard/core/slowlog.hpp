#pragma once
// The proxy's own SLOWLOG (pure): commands slower than slowlog_log_slower_than end to end, as
// Redis keeps them, plus the shards each went to.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "preshard/resp/request.hpp"

namespace preshard::core {

// What a command's reply slot keeps of it while slowlog is on (ReplyQueue's note), cheaply: a
// copy of the request into buffers the slot reuses (no allocation in steady state), or, for a
// large one, only what the slowlog would keep of it; and the shards its keys are on.
struct SlowNote {
  resp::Request req;            // a small command, copied
  std::string argv;             // a large one, already as the slowlog keeps it ...
  uint32_t argc = 0;            // ... when argc > 0
  std::vector<size_t> shards;   // as the op found them, one per key (repeats kept)
  uint64_t seq = ~uint64_t{0};  // the reply slot it was captured for
  void capture(uint64_t slot, const resp::Request& r, const std::vector<size_t>& key_shards);
  // The same, taking a small request's buffers instead of copying them (the caller gets the
  // note's old ones, to parse into and fill again): no copy, no allocation.
  void take(uint64_t slot, resp::Request& r, std::vector<size_t>& key_shards);
};

// The arguments as Redis's slowlog keeps them (at most 32, the last then saying how many more;
// each at most 128 bytes, a longer one ending "... (N more bytes)"), as RESP bulk strings.
void slowlog_argv(const resp::Request& r, std::string& argv, uint32_t& argc);

struct SlowEntry {
  uint64_t id = 0;
  int64_t unix_seconds = 0;
  uint64_t micros = 0;
  // slowlog_argv() of the command; its shards, "3,17" ("" for a keyless command).
  std::string argv;
  uint32_t argc = 0;
  std::string shards;
  std::string peer;  // client address, ip:port
  std::string name;  // client name
  // Fills argv, argc and shards from the note of slot `slot` (a note kept for another slot:
  // its arguments are unknown).
  void describe(const SlowNote& note, uint64_t slot);
};

// The newest entries first, at most `max_len` of them.
class Slowlog {
 public:
  void add(SlowEntry e, size_t max_len);
  const std::deque<SlowEntry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  void reset() { entries_.clear(); }

 private:
  std::deque<SlowEntry> entries_;
};

// One entry as Redis's SLOWLOG GET writes it (id, unix time, microseconds, arguments, client
// address, client name), with preshard's shards as a seventh element. The same bytes in RESP2
// and RESP3 (arrays, integers, bulk strings).
void append_slow_entry(std::string& out, const SlowEntry& e);

}  // namespace preshard::core
