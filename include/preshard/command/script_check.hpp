#pragma once
#include <string>
#include <string_view>

#include "preshard/command/command_spec.hpp"
#include "preshard/resp/request.hpp"

namespace preshard::command {

// The first command a script calls by a literal name (redis.call('SWAPDB', ...), also pcall and
// server.*) that preshard refuses: a Denied row (it administers an instance, or breaks what
// other clients share: SWAPDB, MOVE, MIGRATE, SLOWLOG, MEMORY, PFDEBUG ...) or SELECT (one
// database). "" if none. A name the script builds at run time cannot be seen here; the backend
// ACL user (the security issue) closes that. Pure: scans the source once, no allocation unless
// a call is found.
std::string refused_call(std::string_view source);

// For a row with script_at: the refused command its script calls, or "".
std::string refused_call(const CommandSpec& spec, const resp::Request& req);

}  // namespace preshard::command
