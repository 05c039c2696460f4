#pragma once
#include <cstdint>
#include <string_view>

namespace preshard::router {

// The first 8 bytes of SHA1(data), read as a big-endian integer.
uint64_t sha1_prefix64(std::string_view data);

}  // namespace preshard::router
