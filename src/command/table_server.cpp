// Command table rows: the server commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the route is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"acl", -2, 0, 0, 0, 0, Route::kDenied},
    {"bgrewriteaof", 1, kAdmin | kNoScript | kNoAsyncLoading, 0, 0, 0, Route::kDenied},
    {"bgsave", -1, kAdmin | kNoScript | kNoAsyncLoading, 0, 0, 0, Route::kDenied},
    {"command", -1, kLoading | kStale, 0, 0, 0, Route::kLocal},
    {"command|count", 2, kLoading | kStale, 0, 0, 0, Route::kLocal},
    {"command|docs", -2, kLoading | kStale, 0, 0, 0, Route::kLocal},
    {"command|getkeys", -4, kLoading | kStale, 0, 0, 0, Route::kLocal},
    {"command|getkeysandflags", -4, kLoading | kStale, 0, 0, 0, Route::kAnyShard},
    {"command|help", 2, kLoading | kStale, 0, 0, 0, Route::kAnyShard},
    {"command|info", -2, kLoading | kStale, 0, 0, 0, Route::kLocal},
    {"command|list", -2, kLoading | kStale, 0, 0, 0, Route::kLocal},
    {"config", -2, 0, 0, 0, 0, Route::kDenied},
    {"dbsize", 1, kReadonly | kFast, 0, 0, 0, Route::kAllShards, Merge::kSum},
    {"debug", -2, kAdmin | kNoScript | kLoading | kStale, 0, 0, 0, Route::kDenied},
    {"failover", -1, kAdmin | kNoScript | kStale, 0, 0, 0, Route::kDenied},
    {"flushall", -1, kWrite, 0, 0, 0, Route::kAllShards, Merge::kAllOk},
    {"flushdb", -1, kWrite, 0, 0, 0, Route::kAllShards, Merge::kAllOk},
    {"info", -1, kLoading | kStale, 0, 0, 0, Route::kLocal},
    {"lastsave", 1, kLoading | kStale | kFast, 0, 0, 0, Route::kAnyShard},
    {"latency", -2, 0, 0, 0, 0, Route::kDenied},
    {"lolwut", -1, kReadonly | kFast, 0, 0, 0, Route::kAnyShard},
    {"memory", -2, 0, 0, 0, 0, Route::kContainer},
    {"memory|doctor", 2, 0, 0, 0, 0, Route::kDenied},
    {"memory|help", 2, kLoading | kStale, 0, 0, 0, Route::kAnyShard},
    {"memory|malloc-stats", 2, 0, 0, 0, 0, Route::kDenied},
    {"memory|purge", 2, 0, 0, 0, 0, Route::kDenied},
    {"memory|stats", 2, 0, 0, 0, 0, Route::kDenied},
    {"memory|usage", -3, kReadonly, 2, 2, 1, Route::kKeyed},
    {"module", -2, 0, 0, 0, 0, Route::kDenied},
    {"monitor", 1, kAdmin | kNoScript | kLoading | kStale, 0, 0, 0, Route::kDenied},
    {"psync", -3, kAdmin | kNoScript | kNoAsyncLoading | kNoMulti, 0, 0, 0, Route::kDenied},
    {"replconf", -1, kAdmin | kNoScript | kLoading | kStale | kAllowBusy, 0, 0, 0, Route::kDenied},
    {"replicaof", 3, kAdmin | kNoScript | kStale | kNoAsyncLoading, 0, 0, 0, Route::kDenied},
    {"restore-asking", -4, kWrite | kDenyOom | kAsking, 1, 1, 1, Route::kDenied},
    {"role", 1, kNoScript | kLoading | kStale | kFast, 0, 0, 0, Route::kDenied},
    {"save", 1, kAdmin | kNoScript | kNoAsyncLoading | kNoMulti, 0, 0, 0, Route::kDenied},
    {"shutdown", -1, kAdmin | kNoScript | kLoading | kStale | kNoMulti | kAllowBusy, 0, 0, 0,
     Route::kDenied},
    {"slaveof", 3, kAdmin | kNoScript | kStale | kNoAsyncLoading, 0, 0, 0, Route::kDenied},
    {"slowlog", -2, 0, 0, 0, 0, Route::kDenied},
    {"swapdb", 3, kWrite | kFast, 0, 0, 0, Route::kDenied},
    {"sync", 1, kAdmin | kNoScript | kNoAsyncLoading | kNoMulti, 0, 0, 0, Route::kDenied},
    {"time", 1, kLoading | kStale | kFast, 0, 0, 0, Route::kAnyShard},
};
}  // namespace

constexpr std::span<const CommandSpec> kServerCommands{kRows};

}  // namespace preshard::command
