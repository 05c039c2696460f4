#pragma once
#include <string_view>

namespace preshard::acl {

// Redis's glob (stringmatchlen): `*`, `?`, `[abc]`, `[^abc]`, `[a-z]`, `\x`; binary-safe, which
// libc's fnmatch is not (a NUL in a key would end it there: a wrong match in an ACL check).
bool glob_match(std::string_view pattern, std::string_view s, bool nocase = false);

}  // namespace preshard::acl
