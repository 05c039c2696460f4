// Command table rows: the set commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the op is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"sadd", -3, kWrite | kDenyOom | kFast, kAclFast | kAclSet | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"scard", 2, kReadonly | kFast, kAclFast | kAclRead | kAclSet, 1, 1, 1, Op::kKeyed},
    {"sdiff", -2, kReadonly, kAclRead | kAclSet | kAclSlow, 1, -1, 1, Op::kKeyed},
    {"sdiffstore", -3, kWrite | kDenyOom, kAclSet | kAclSlow | kAclWrite, 1, -1, 1, Op::kKeyed},
    {"sinter", -2, kReadonly, kAclRead | kAclSet | kAclSlow, 1, -1, 1, Op::kKeyed},
    {"sintercard",
     -3,
     kReadonly,
     kAclRead | kAclSet | kAclSlow,
     0,
     0,
     0,
     Op::kKeyed,
     Merge::kNone,
     {Keys::kNumKeys, 1, 0}},
    {"sinterstore", -3, kWrite | kDenyOom, kAclSet | kAclSlow | kAclWrite, 1, -1, 1, Op::kKeyed},
    {"sismember", 3, kReadonly | kFast, kAclFast | kAclRead | kAclSet, 1, 1, 1, Op::kKeyed},
    {"smembers", 2, kReadonly, kAclRead | kAclSet | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"smismember", -3, kReadonly | kFast, kAclFast | kAclRead | kAclSet, 1, 1, 1, Op::kKeyed},
    {"smove", 4, kWrite | kFast, kAclFast | kAclSet | kAclWrite, 1, 2, 1, Op::kKeyed},
    {"spop", -2, kWrite | kFast, kAclFast | kAclSet | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"srandmember", -2, kReadonly, kAclRead | kAclSet | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"srem", -3, kWrite | kFast, kAclFast | kAclSet | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"sscan", -3, kReadonly, kAclRead | kAclSet | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"sunion", -2, kReadonly, kAclRead | kAclSet | kAclSlow, 1, -1, 1, Op::kKeyed},
    {"sunionstore", -3, kWrite | kDenyOom, kAclSet | kAclSlow | kAclWrite, 1, -1, 1, Op::kKeyed},
};
}  // namespace

constexpr std::span<const CommandSpec> kSetCommands{kRows};

}  // namespace preshard::command
