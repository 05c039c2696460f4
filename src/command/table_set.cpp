// Command table rows: the set commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the route is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"sadd", -3, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"scard", 2, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"sdiff", -2, kReadonly, 1, -1, 1, Route::kKeyed},
    {"sdiffstore", -3, kWrite | kDenyOom, 1, -1, 1, Route::kKeyed},
    {"sinter", -2, kReadonly, 1, -1, 1, Route::kKeyed},
    {"sintercard", -3, kReadonly, 0, 0, 0, Route::kKeyed, Merge::kNone, {Keys::kNumKeys, 1, 0}},
    {"sinterstore", -3, kWrite | kDenyOom, 1, -1, 1, Route::kKeyed},
    {"sismember", 3, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"smembers", 2, kReadonly, 1, 1, 1, Route::kKeyed},
    {"smismember", -3, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"smove", 4, kWrite | kFast, 1, 2, 1, Route::kKeyed},
    {"spop", -2, kWrite | kFast, 1, 1, 1, Route::kKeyed},
    {"srandmember", -2, kReadonly, 1, 1, 1, Route::kKeyed},
    {"srem", -3, kWrite | kFast, 1, 1, 1, Route::kKeyed},
    {"sscan", -3, kReadonly, 1, 1, 1, Route::kKeyed},
    {"sunion", -2, kReadonly, 1, -1, 1, Route::kKeyed},
    {"sunionstore", -3, kWrite | kDenyOom, 1, -1, 1, Route::kKeyed},
};
}  // namespace

constexpr std::span<const CommandSpec> kSetCommands{kRows};

}  // namespace preshard::command
