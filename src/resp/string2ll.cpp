#include "preshard/resp/string2ll.hpp"

#include <climits>

namespace preshard::resp {

bool string2ll(std::string_view s, long long& value) {
  if (s.empty()) return false;
  if (s.size() == 1 && s[0] == '0') {
    value = 0;
    return true;
  }
  size_t i = 0;
  bool negative = false;
  if (s[0] == '-') {
    negative = true;
    if (++i == s.size()) return false;
  }
  // The first digit must be 1-9: "0" alone was handled above, so "01" and "-0" are refused.
  if (s[i] < '1' || s[i] > '9') return false;
  unsigned long long v = static_cast<unsigned long long>(s[i++] - '0');
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    unsigned long long digit = static_cast<unsigned long long>(s[i] - '0');
    if (v > (ULLONG_MAX - digit) / 10) return false;
    v = v * 10 + digit;
  }
  if (negative) {
    if (v > static_cast<unsigned long long>(LLONG_MAX) + 1) return false;
    value = v == static_cast<unsigned long long>(LLONG_MAX) + 1 ? LLONG_MIN
                                                                : -static_cast<long long>(v);
  } else {
    if (v > static_cast<unsigned long long>(LLONG_MAX)) return false;
    value = static_cast<long long>(v);
  }
  return true;
}

}  // namespace preshard::resp
