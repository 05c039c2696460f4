// Command table rows: the hash commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the route is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"hdel", -3, kWrite | kFast, 1, 1, 1, Route::kKeyed},
    {"hexists", 3, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"hget", 3, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"hgetall", 2, kReadonly, 1, 1, 1, Route::kKeyed},
    {"hincrby", 4, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"hincrbyfloat", 4, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"hkeys", 2, kReadonly, 1, 1, 1, Route::kKeyed},
    {"hlen", 2, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"hmget", -3, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"hmset", -4, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"hrandfield", -2, kReadonly, 1, 1, 1, Route::kKeyed},
    {"hscan", -3, kReadonly, 1, 1, 1, Route::kKeyed},
    {"hset", -4, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"hsetnx", 4, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"hstrlen", 3, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"hvals", 2, kReadonly, 1, 1, 1, Route::kKeyed},
};
}  // namespace

constexpr std::span<const CommandSpec> kHashCommands{kRows};

}  // namespace preshard::command
