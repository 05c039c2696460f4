#pragma once
#include <string_view>

namespace preshard::router {

// The part of a key that is hashed, by Redis Cluster's rule: if the key has an `open` char, and
// after the first one a `close` char with at least one byte between them, only those bytes;
// otherwise the whole key. `tags_enabled == false` always hashes the whole key.
std::string_view hash_slice(std::string_view key, char open, char close, bool tags_enabled);

}  // namespace preshard::router
