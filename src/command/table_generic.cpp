// Command table rows: the generic commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the route is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"copy", -3, kWrite | kDenyOom, 1, 2, 1, Route::kKeyed},
    {"del", -2, kWrite, 1, -1, 1, Route::kSplit, Merge::kSum},
    {"dump", 2, kReadonly, 1, 1, 1, Route::kKeyed},
    {"exists", -2, kReadonly | kFast, 1, -1, 1, Route::kSplit, Merge::kSum},
    {"expire", -3, kWrite | kFast, 1, 1, 1, Route::kKeyed},
    {"expireat", -3, kWrite | kFast, 1, 1, 1, Route::kKeyed},
    {"expiretime", 2, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"keys", 2, kReadonly, 0, 0, 0, Route::kAllShards, Merge::kConcat},
    {"migrate", -6, kWrite, 3, 3, 1, Route::kDenied, Merge::kNone, {Keys::kMigrate}},
    {"move", 3, kWrite | kFast, 1, 1, 1, Route::kDenied},
    {"object", -2, 0, 0, 0, 0, Route::kContainer},
    {"object|encoding", 3, kReadonly, 2, 2, 1, Route::kKeyed},
    {"object|freq", 3, kReadonly, 2, 2, 1, Route::kKeyed},
    {"object|help", 2, kLoading | kStale, 0, 0, 0, Route::kAnyShard},
    {"object|idletime", 3, kReadonly, 2, 2, 1, Route::kKeyed},
    {"object|refcount", 3, kReadonly, 2, 2, 1, Route::kKeyed},
    {"persist", 2, kWrite | kFast, 1, 1, 1, Route::kKeyed},
    {"pexpire", -3, kWrite | kFast, 1, 1, 1, Route::kKeyed},
    {"pexpireat", -3, kWrite | kFast, 1, 1, 1, Route::kKeyed},
    {"pexpiretime", 2, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"pttl", 2, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"randomkey", 1, kReadonly, 0, 0, 0, Route::kAllShards, Merge::kRandom},
    {"rename", 3, kWrite, 1, 2, 1, Route::kKeyed},
    {"renamenx", 3, kWrite | kFast, 1, 2, 1, Route::kKeyed},
    {"restore", -4, kWrite | kDenyOom, 1, 1, 1, Route::kKeyed},
    {"scan", -2, kReadonly, 0, 0, 0, Route::kScan},
    {"sort", -2, kWrite | kDenyOom, 1, 1, 1, Route::kKeyed, Merge::kNone, {Keys::kSort}},
    {"sort_ro", -2, kReadonly, 1, 1, 1, Route::kKeyed, Merge::kNone, {Keys::kSort}},
    {"touch", -2, kReadonly | kFast, 1, -1, 1, Route::kSplit, Merge::kSum},
    {"ttl", 2, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"type", 2, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"unlink", -2, kWrite | kFast, 1, -1, 1, Route::kSplit, Merge::kSum},
    {"wait", 3, kNoScript, 0, 0, 0, Route::kBlocking},
};
}  // namespace

constexpr std::span<const CommandSpec> kGenericCommands{kRows};

}  // namespace preshard::command
