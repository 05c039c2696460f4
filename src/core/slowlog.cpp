#include "preshard/core/slowlog.hpp"

#include "preshard/resp/encode.hpp"

namespace preshard::core {

namespace {
constexpr size_t kMaxArgs = 32;    // Redis's SLOWLOG_ENTRY_MAX_ARGC
constexpr size_t kMaxBytes = 128;  // Redis's SLOWLOG_ENTRY_MAX_STRING
}  // namespace

void SlowNote::capture(const resp::Request& req, const std::string& shard_list) {
  argv.clear();
  shards = shard_list;
  size_t n = std::min(req.size(), kMaxArgs);
  argc = static_cast<uint32_t>(n);
  for (size_t i = 0; i < n; ++i) {
    if (n < req.size() && i == n - 1) {
      resp::append_bulk(argv, "... (" + std::to_string(req.size() - n + 1) + " more arguments)");
    } else if (req[i].size() > kMaxBytes) {
      std::string cut(req[i].substr(0, kMaxBytes));
      cut += "... (" + std::to_string(req[i].size() - kMaxBytes) + " more bytes)";
      resp::append_bulk(argv, cut);
    } else {
      resp::append_bulk(argv, req[i]);
    }
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
  resp::append_array_header(out, e.command.argc);
  out += e.command.argv;
  resp::append_bulk(out, e.peer);
  resp::append_bulk(out, e.name);
  resp::append_bulk(out, e.command.shards);
}

}  // namespace preshard::core
