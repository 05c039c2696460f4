#pragma once
#include <strings.h>

#include <string>
#include <string_view>

namespace preshard::resp {

// Case-insensitive comparison of an argument with a lowercase keyword ("store", "streams").
inline bool arg_is(std::string_view arg, std::string_view word) {
  return arg.size() == word.size() && strncasecmp(arg.data(), word.data(), word.size()) == 0;
}

}  // namespace preshard::resp
