// Command table rows: the connection commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the route is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"auth", -2, kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy, 0, 0, 0,
     Route::kLocal},
    {"client", -2, 0, 0, 0, 0, Route::kContainer},
    {"client|caching", 3, kNoScript | kLoading | kStale, 0, 0, 0, Route::kDenied},
    {"client|getname", 2, kNoScript | kLoading | kStale, 0, 0, 0, Route::kLocal},
    {"client|getredir", 2, kNoScript | kLoading | kStale, 0, 0, 0, Route::kDenied},
    {"client|help", 2, kLoading | kStale, 0, 0, 0, Route::kAnyShard},
    {"client|id", 2, kNoScript | kLoading | kStale, 0, 0, 0, Route::kLocal},
    {"client|info", 2, kNoScript | kLoading | kStale, 0, 0, 0, Route::kLocal},
    {"client|kill", -3, kAdmin | kNoScript | kLoading | kStale, 0, 0, 0, Route::kDenied},
    {"client|list", -2, kAdmin | kNoScript | kLoading | kStale, 0, 0, 0, Route::kDenied},
    {"client|no-evict", 3, kAdmin | kNoScript | kLoading | kStale, 0, 0, 0, Route::kDenied},
    {"client|pause", -3, kAdmin | kNoScript | kLoading | kStale, 0, 0, 0, Route::kDenied},
    {"client|reply", 3, kNoScript | kLoading | kStale, 0, 0, 0, Route::kDenied},
    {"client|setname", 3, kNoScript | kLoading | kStale, 0, 0, 0, Route::kLocal},
    {"client|tracking", -3, kNoScript | kLoading | kStale, 0, 0, 0, Route::kDenied},
    {"client|trackinginfo", 2, kNoScript | kLoading | kStale, 0, 0, 0, Route::kDenied},
    {"client|unblock", -3, kAdmin | kNoScript | kLoading | kStale, 0, 0, 0, Route::kDenied},
    {"client|unpause", 2, kAdmin | kNoScript | kLoading | kStale, 0, 0, 0, Route::kDenied},
    {"echo", 2, kLoading | kStale | kFast, 0, 0, 0, Route::kLocal},
    {"hello", -1, kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy, 0, 0, 0,
     Route::kLocal},
    {"ping", -1, kFast, 0, 0, 0, Route::kLocal},
    {"quit", -1, kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy, 0, 0, 0,
     Route::kLocal},
    {"reset", 1, kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy, 0, 0, 0,
     Route::kLocal},
    {"select", 2, kLoading | kStale | kFast, 0, 0, 0, Route::kLocal},
};
}  // namespace

constexpr std::span<const CommandSpec> kConnectionCommands{kRows};

}  // namespace preshard::command
