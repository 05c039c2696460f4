// Command table rows: the hyperloglog commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the op is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"pfadd", -2, kWrite | kDenyOom | kFast, kAclFast | kAclHyperLogLog | kAclWrite, 1, 1, 1,
     Op::kKeyed},
    {"pfcount", -2, kReadonly, kAclHyperLogLog | kAclRead | kAclSlow, 1, -1, 1, Op::kKeyed},
    {"pfdebug", 3, kWrite | kDenyOom | kAdmin,
     kAclAdmin | kAclDangerous | kAclHyperLogLog | kAclSlow | kAclWrite, 2, 2, 1, Op::kDenied},
    {"pfmerge", -2, kWrite | kDenyOom, kAclHyperLogLog | kAclSlow | kAclWrite, 1, -1, 1,
     Op::kKeyed},
    {"pfselftest", 1, kAdmin, kAclAdmin | kAclDangerous | kAclHyperLogLog | kAclSlow, 0, 0, 0,
     Op::kDenied},
};
}  // namespace

constexpr std::span<const CommandSpec> kHyperloglogCommands{kRows};

}  // namespace preshard::command
