#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace preshard::router {

// The first 8 bytes of SHA1(data), read as a big-endian integer.
uint64_t sha1_prefix64(std::string_view data);
// SHA1(data) as 40 lowercase hex digits: a script's name for EVALSHA.
std::string sha1_hex(std::string_view data);

}  // namespace preshard::router
