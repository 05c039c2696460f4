// Command table rows: the string commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the route is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"append", 3, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"decr", 2, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"decrby", 3, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"get", 2, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"getdel", 2, kWrite | kFast, 1, 1, 1, Route::kKeyed},
    {"getex", -2, kWrite | kFast, 1, 1, 1, Route::kKeyed},
    {"getrange", 4, kReadonly, 1, 1, 1, Route::kKeyed},
    {"getset", 3, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"incr", 2, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"incrby", 3, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"incrbyfloat", 3, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"lcs", -3, kReadonly, 1, 2, 1, Route::kKeyed},
    {"mget", -2, kReadonly | kFast, 1, -1, 1, Route::kSplit, Merge::kMget},
    {"mset", -3, kWrite | kDenyOom, 1, -1, 2, Route::kSplit, Merge::kAllOk},
    {"msetnx", -3, kWrite | kDenyOom, 1, -1, 2, Route::kKeyed},
    {"psetex", 4, kWrite | kDenyOom, 1, 1, 1, Route::kKeyed},
    {"set", -3, kWrite | kDenyOom, 1, 1, 1, Route::kKeyed},
    {"setex", 4, kWrite | kDenyOom, 1, 1, 1, Route::kKeyed},
    {"setnx", 3, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"setrange", 4, kWrite | kDenyOom, 1, 1, 1, Route::kKeyed},
    {"strlen", 2, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"substr", 4, kReadonly, 1, 1, 1, Route::kKeyed},
};
}  // namespace

constexpr std::span<const CommandSpec> kStringCommands{kRows};

}  // namespace preshard::command
