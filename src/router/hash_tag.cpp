#include "preshard/router/hash_tag.hpp"

namespace preshard::router {

std::string_view hash_slice(std::string_view key, char open, char close, bool tags_enabled) {
  if (!tags_enabled) return key;
  size_t s = key.find(open);
  if (s == std::string_view::npos) return key;
  size_t e = key.find(close, s + 1);
  if (e == std::string_view::npos || e == s + 1) return key;
  return key.substr(s + 1, e - s - 1);
}

}  // namespace preshard::router
