#pragma once
// Shard i's master name in Redis Sentinel, from the `sentinel_name` pattern: "{shard}" stands
// for i, zero-padded to the width of N-1 ("preshard-{shard}" -> "preshard-007" of 128).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace preshard::config {

std::string sentinel_name(std::string_view pattern, size_t shard, size_t shards);
// The shard a Sentinel master name stands for, or nullopt when it is none of ours.
std::optional<size_t> shard_of_sentinel_name(std::string_view pattern, std::string_view name,
                                             size_t shards);
// "" when the pattern names every shard apart, else why not.
std::string sentinel_name_problem(std::string_view pattern, size_t shards);

}  // namespace preshard::config
