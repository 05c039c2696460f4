// Command table rows: the list commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the route is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"blmove", 6, kWrite | kDenyOom | kNoScript | kBlocking, 1, 2, 1, Route::kBlocking},
    {"blmpop",
     -5,
     kWrite | kBlocking,
     0,
     0,
     0,
     Route::kBlocking,
     Merge::kNone,
     {Keys::kNumKeys, 2, 0}},
    {"blpop", -3, kWrite | kNoScript | kBlocking, 1, -2, 1, Route::kBlocking},
    {"brpop", -3, kWrite | kNoScript | kBlocking, 1, -2, 1, Route::kBlocking},
    {"brpoplpush", 4, kWrite | kDenyOom | kNoScript | kBlocking, 1, 2, 1, Route::kBlocking},
    {"lindex", 3, kReadonly, 1, 1, 1, Route::kKeyed},
    {"linsert", 5, kWrite | kDenyOom, 1, 1, 1, Route::kKeyed},
    {"llen", 2, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"lmove", 5, kWrite | kDenyOom, 1, 2, 1, Route::kKeyed},
    {"lmpop", -4, kWrite, 0, 0, 0, Route::kKeyed, Merge::kNone, {Keys::kNumKeys, 1, 0}},
    {"lpop", -2, kWrite | kFast, 1, 1, 1, Route::kKeyed},
    {"lpos", -3, kReadonly, 1, 1, 1, Route::kKeyed},
    {"lpush", -3, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"lpushx", -3, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"lrange", 4, kReadonly, 1, 1, 1, Route::kKeyed},
    {"lrem", 4, kWrite, 1, 1, 1, Route::kKeyed},
    {"lset", 4, kWrite | kDenyOom, 1, 1, 1, Route::kKeyed},
    {"ltrim", 4, kWrite, 1, 1, 1, Route::kKeyed},
    {"rpop", -2, kWrite | kFast, 1, 1, 1, Route::kKeyed},
    {"rpoplpush", 3, kWrite | kDenyOom, 1, 2, 1, Route::kKeyed},
    {"rpush", -3, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"rpushx", -3, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
};
}  // namespace

constexpr std::span<const CommandSpec> kListCommands{kRows};

}  // namespace preshard::command
