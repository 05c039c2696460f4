#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "preshard/resp/request.hpp"

namespace preshard::fanout {

// One sub-command: the keys (with their values, for MSET) that live on one shard.
struct Part {
  size_t shard = 0;
  resp::Request request;            // the command name, then this shard's arguments
  std::vector<uint32_t> key_index;  // for each key of this part, its position among all keys
};

// A multi-key command split into one sub-command per shard, in order of first appearance.
struct SplitPlan {
  std::vector<Part> parts;
  size_t key_count = 0;
};

// Splits `req` whose keys start at argument `first` and repeat every `step` arguments (MGET:
// 1, 1; MSET: 1, 2, each key followed by its value); `key_shards[i]` is the shard of the i-th
// key. A key's group of `step` arguments goes to that key's shard; duplicates stay where they
// are, so Redis counts them as it would.
SplitPlan split(const resp::Request& req, size_t first, size_t step,
                const std::vector<size_t>& key_shards);

// The same command for every one of `shards` shards (DBSIZE, KEYS, FLUSHALL, SCRIPT LOAD, ...).
SplitPlan broadcast(const resp::Request& req, size_t shards);

}  // namespace preshard::fanout
