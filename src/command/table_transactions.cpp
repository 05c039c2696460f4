// Command table rows: the transactions commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the op is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"discard", 1, kNoScript | kLoading | kStale | kFast | kAllowBusy, kAclFast | kAclTransaction,
     0, 0, 0, Op::kDiscard},
    {"exec", 1, kNoScript | kLoading | kStale | kSkipSlowlog, kAclSlow | kAclTransaction, 0, 0, 0,
     Op::kExec},
    {"multi", 1, kNoScript | kLoading | kStale | kFast | kAllowBusy, kAclFast | kAclTransaction, 0,
     0, 0, Op::kMulti},
    {"unwatch", 1, kNoScript | kLoading | kStale | kFast | kAllowBusy, kAclFast | kAclTransaction,
     0, 0, 0, Op::kUnwatch},
    {"watch", -2, kNoScript | kLoading | kStale | kFast | kAllowBusy, kAclFast | kAclTransaction, 1,
     -1, 1, Op::kWatch},
};
}  // namespace

constexpr std::span<const CommandSpec> kTransactionsCommands{kRows};

}  // namespace preshard::command
