#pragma once
#include <string_view>

#include "preshard/resp/request.hpp"

namespace preshard::resp {

// Splits an inline command line like Redis's sdssplitargs: blanks separate arguments, "..."
// takes \n \r \t \b \a \\ \" and \xHH escapes, '...' takes \'. A closing quote must be followed
// by a blank or the end. Returns false on unbalanced quotes (out is then unspecified).
bool split_inline(std::string_view line, Request& out);

}  // namespace preshard::resp
