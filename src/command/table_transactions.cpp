// Command table rows: the transactions commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the route is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"discard", 1, kNoScript | kLoading | kStale | kFast | kAllowBusy, 0, 0, 0,
     Route::kTransaction},
    {"exec", 1, kNoScript | kLoading | kStale | kSkipSlowlog, 0, 0, 0, Route::kTransaction},
    {"multi", 1, kNoScript | kLoading | kStale | kFast | kAllowBusy, 0, 0, 0, Route::kTransaction},
    {"unwatch", 1, kNoScript | kLoading | kStale | kFast | kAllowBusy, 0, 0, 0,
     Route::kTransaction},
    {"watch", -2, kNoScript | kLoading | kStale | kFast | kAllowBusy, 1, -1, 1,
     Route::kTransaction},
};
}  // namespace

constexpr std::span<const CommandSpec> kTransactionsCommands{kRows};

}  // namespace preshard::command
