#pragma once
#include <string_view>

namespace preshard::resp {

// Redis's string2ll: strict base-10, optional '-', no '+', no leading zeros, no spaces.
// Redis uses it for every length line it reads, so the proxy frames requests exactly as Redis.
bool string2ll(std::string_view s, long long& value);

}  // namespace preshard::resp
