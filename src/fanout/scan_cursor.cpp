#include "preshard/fanout/scan_cursor.hpp"

#include <charconv>
#include <limits>

namespace preshard::fanout {

std::optional<ScanPosition> decode_scan_cursor(std::string_view text, size_t shards) {
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return ScanPosition{static_cast<size_t>(v % shards), v / shards};
}

std::optional<std::string> next_scan_cursor(size_t shard, uint64_t next, size_t shards) {
  if (next == 0) {
    // This shard is done: the next one from its start, or the end of the whole scan.
    return shard + 1 < shards ? std::to_string(shard + 1) : std::string("0");
  }
  if (next > (std::numeric_limits<uint64_t>::max() - shard) / shards) return std::nullopt;
  return std::to_string(next * shards + shard);
}

}  // namespace preshard::fanout
