// Command table rows: the cluster commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the route is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"asking", 1, kFast, 0, 0, 0, Route::kDenied},
    {"cluster", -2, 0, 0, 0, 0, Route::kDenied},
    {"readonly", 1, kLoading | kStale | kFast, 0, 0, 0, Route::kDenied},
    {"readwrite", 1, kLoading | kStale | kFast, 0, 0, 0, Route::kDenied},
};
}  // namespace

constexpr std::span<const CommandSpec> kClusterCommands{kRows};

}  // namespace preshard::command
