#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace preshard::fanout {

// Where a SCAN over all shards stands: shards are scanned one after another, each with its own
// Redis cursor. The client sees one number, shard + N * shard_cursor, so cursor 0 is "shard 0,
// cursor 0": the start, and, when returned, the end.
struct ScanPosition {
  size_t shard = 0;
  uint64_t cursor = 0;
};

// The client's cursor (an unsigned decimal, like Redis's). Null when it is not one.
std::optional<ScanPosition> decode_scan_cursor(std::string_view text, size_t shards);

// The cursor to return after `shard` answered `next` (its own cursor). Null when it does not
// fit in 64 bits (a shard cursor above 2^64 / N; Redis's cursors stay below its table size).
std::optional<std::string> next_scan_cursor(size_t shard, uint64_t next, size_t shards);

}  // namespace preshard::fanout
