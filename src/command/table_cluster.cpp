// Command table rows: the cluster commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the op is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"asking", 1, kFast, kAclConnection | kAclFast, 0, 0, 0, Op::kDenied},
    {"cluster", -2, 0, kAclSlow, 0, 0, 0, Op::kDenied},
    {"readonly", 1, kLoading | kStale | kFast, kAclConnection | kAclFast, 0, 0, 0, Op::kDenied},
    {"readwrite", 1, kLoading | kStale | kFast, kAclConnection | kAclFast, 0, 0, 0, Op::kDenied},
};
}  // namespace

constexpr std::span<const CommandSpec> kClusterCommands{kRows};

}  // namespace preshard::command
