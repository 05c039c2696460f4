// Command table rows: the stream commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the route is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"xack", -4, kWrite | kFast, 1, 1, 1, Route::kKeyed},
    {"xadd", -5, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"xautoclaim", -6, kWrite | kFast, 1, 1, 1, Route::kKeyed},
    {"xclaim", -6, kWrite | kFast, 1, 1, 1, Route::kKeyed},
    {"xdel", -3, kWrite | kFast, 1, 1, 1, Route::kKeyed},
    {"xgroup", -2, 0, 0, 0, 0, Route::kContainer},
    {"xgroup|create", -5, kWrite | kDenyOom, 2, 2, 1, Route::kKeyed},
    {"xgroup|createconsumer", 5, kWrite | kDenyOom, 2, 2, 1, Route::kKeyed},
    {"xgroup|delconsumer", 5, kWrite, 2, 2, 1, Route::kKeyed},
    {"xgroup|destroy", 4, kWrite, 2, 2, 1, Route::kKeyed},
    {"xgroup|help", 2, kLoading | kStale, 0, 0, 0, Route::kAnyShard},
    {"xgroup|setid", -5, kWrite, 2, 2, 1, Route::kKeyed},
    {"xinfo", -2, 0, 0, 0, 0, Route::kContainer},
    {"xinfo|consumers", 4, kReadonly, 2, 2, 1, Route::kKeyed},
    {"xinfo|groups", 3, kReadonly, 2, 2, 1, Route::kKeyed},
    {"xinfo|help", 2, kLoading | kStale, 0, 0, 0, Route::kAnyShard},
    {"xinfo|stream", -3, kReadonly, 2, 2, 1, Route::kKeyed},
    {"xlen", 2, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"xpending", -3, kReadonly, 1, 1, 1, Route::kKeyed},
    {"xrange", -4, kReadonly, 1, 1, 1, Route::kKeyed},
    {"xread", -4, kReadonly | kBlocking, 0, 0, 0, Route::kKeyed, Merge::kNone, {Keys::kStreams}},
    {"xreadgroup", -7, kWrite | kBlocking, 0, 0, 0, Route::kKeyed, Merge::kNone, {Keys::kStreams}},
    {"xrevrange", -4, kReadonly, 1, 1, 1, Route::kKeyed},
    {"xsetid", -3, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"xtrim", -4, kWrite, 1, 1, 1, Route::kKeyed},
};
}  // namespace

constexpr std::span<const CommandSpec> kStreamCommands{kRows};

}  // namespace preshard::command
