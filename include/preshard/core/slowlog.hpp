#pragma once
// The proxy's own SLOWLOG (pure): commands slower than slowlog_log_slower_than end to end, as
// Redis keeps them, plus the shards each went to.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "preshard/resp/request.hpp"

namespace preshard::core {

// What a command's reply slot keeps of it while slowlog is on (ReplyQueue's note): its
// arguments as Redis's slowlog keeps them (at most 32, the last then saying how many more; each
// at most 128 bytes, a longer one ending "... (N more bytes)"), encoded as RESP bulk strings,
// and the shards its keys are on.
struct SlowNote {
  std::string argv;
  uint32_t argc = 0;
  std::string shards;  // "3,17"; "" for a keyless command
  void capture(const resp::Request& req, const std::string& shard_list);
};

struct SlowEntry {
  uint64_t id = 0;
  int64_t unix_seconds = 0;
  uint64_t micros = 0;
  SlowNote command;
  std::string peer;  // client address, ip:port
  std::string name;  // client name
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
