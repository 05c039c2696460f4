#include "preshard/core/slowlog.hpp"

#include <algorithm>

#include "preshard/resp/encode.hpp"

namespace preshard::core {

namespace {
constexpr size_t kMaxArgs = 32;    // Redis's SLOWLOG_ENTRY_MAX_ARGC
constexpr size_t kMaxBytes = 128;  // Redis's SLOWLOG_ENTRY_MAX_STRING
}  // namespace

void slowlog_argv(const resp::Request& r, std::string& argv, uint32_t& argc) {
  size_t n = std::min(r.size(), kMaxArgs);
  argv.clear();
  argc = static_cast<uint32_t>(n);
  for (size_t i = 0; i < n; ++i) {
    if (n < r.size() && i == n - 1) {
      resp::append_bulk(argv, "... (" + std::to_string(r.size() - n + 1) + " more arguments)");
    } else if (r[i].size() > kMaxBytes) {
      std::string cut(r[i].substr(0, kMaxBytes));
      cut += "... (" + std::to_string(r[i].size() - kMaxBytes) + " more bytes)";
      resp::append_bulk(argv, cut);
    } else {
      resp::append_bulk(argv, r[i]);
    }
  }
}

void SlowNote::capture(uint64_t slot, const resp::Request& r,
                       const std::vector<size_t>& key_shards) {
  seq = slot;
  shards = key_shards;
  // Small: copied whole, into buffers the slot reuses. Large: only what the slowlog keeps.
  if (r.size() <= kMaxArgs && r.payload_bytes() <= 4096) {
    req = r;
    argc = 0;
  } else {
    slowlog_argv(r, argv, argc);
  }
}

void SlowNote::take(uint64_t slot, resp::Request& r, std::vector<size_t>& key_shards) {
  if (r.size() > kMaxArgs || r.payload_bytes() > 4096) return capture(slot, r, key_shards);
  seq = slot;
  argc = 0;
  req.swap(r);  // the caller gets this note's old buffers to reuse
  shards.swap(key_shards);
}

void SlowEntry::describe(const SlowNote& note, uint64_t slot) {
  if (note.seq != slot) {  // slowlog turned on while the command was in flight
    argv.clear();
    resp::append_bulk(argv, "(unknown)");
    argc = 1;
    shards.clear();
    return;
  }
  if (note.argc > 0) {
    argv = note.argv;
    argc = note.argc;
  } else {
    slowlog_argv(note.req, argv, argc);
  }
  shards.clear();
  for (size_t i = 0; i < note.shards.size(); ++i) {
    auto seen = note.shards.begin() + static_cast<long>(i);
    if (std::find(note.shards.begin(), seen, note.shards[i]) != seen) continue;
    if (!shards.empty()) shards += ',';
    shards += std::to_string(note.shards[i]);
  }
}

void Slowlog::add(SlowEntry e, size_t max_len) {
  if (max_len == 0) return;
  entries_.push_front(std::move(e));
  while (entries_.size() > max_len) entries_.pop_back();
}

void append_slow_entry(std::string& out, const SlowEntry& e) {
  resp::append_array_header(out, 7);
  resp::append_integer(out, static_cast<long long>(e.id));
  resp::append_integer(out, e.unix_seconds);
  resp::append_integer(out, static_cast<long long>(e.micros));
  resp::append_array_header(out, e.argc);
  out += e.argv;
  resp::append_bulk(out, e.peer);
  resp::append_bulk(out, e.name);
  resp::append_bulk(out, e.shards);
}

}  // namespace preshard::core
