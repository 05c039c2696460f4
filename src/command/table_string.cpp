// Command table rows: the string commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the op is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"append", 3, kWrite | kDenyOom | kFast, kAclFast | kAclString | kAclWrite, 1, 1, 1,
     Op::kKeyed},
    {"decr", 2, kWrite | kDenyOom | kFast, kAclFast | kAclString | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"decrby", 3, kWrite | kDenyOom | kFast, kAclFast | kAclString | kAclWrite, 1, 1, 1,
     Op::kKeyed},
    {"get", 2, kReadonly | kFast, kAclFast | kAclRead | kAclString, 1, 1, 1, Op::kKeyed},
    {"getdel", 2, kWrite | kFast, kAclFast | kAclString | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"getex", -2, kWrite | kFast, kAclFast | kAclString | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"getrange", 4, kReadonly, kAclRead | kAclSlow | kAclString, 1, 1, 1, Op::kKeyed},
    {"getset", 3, kWrite | kDenyOom | kFast, kAclFast | kAclString | kAclWrite, 1, 1, 1,
     Op::kKeyed},
    {"incr", 2, kWrite | kDenyOom | kFast, kAclFast | kAclString | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"incrby", 3, kWrite | kDenyOom | kFast, kAclFast | kAclString | kAclWrite, 1, 1, 1,
     Op::kKeyed},
    {"incrbyfloat", 3, kWrite | kDenyOom | kFast, kAclFast | kAclString | kAclWrite, 1, 1, 1,
     Op::kKeyed},
    {"lcs", -3, kReadonly, kAclRead | kAclSlow | kAclString, 1, 2, 1, Op::kKeyed},
    {"mget", -2, kReadonly | kFast, kAclFast | kAclRead | kAclString, 1, -1, 1, Op::kSplit,
     Merge::kMget},
    {"mset", -3, kWrite | kDenyOom, kAclSlow | kAclString | kAclWrite, 1, -1, 2, Op::kSplit,
     Merge::kAllOk},
    {"msetnx", -3, kWrite | kDenyOom, kAclSlow | kAclString | kAclWrite, 1, -1, 2, Op::kKeyed},
    {"psetex", 4, kWrite | kDenyOom, kAclSlow | kAclString | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"set", -3, kWrite | kDenyOom, kAclSlow | kAclString | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"setex", 4, kWrite | kDenyOom, kAclSlow | kAclString | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"setnx", 3, kWrite | kDenyOom | kFast, kAclFast | kAclString | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"setrange", 4, kWrite | kDenyOom, kAclSlow | kAclString | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"strlen", 2, kReadonly | kFast, kAclFast | kAclRead | kAclString, 1, 1, 1, Op::kKeyed},
    {"substr", 4, kReadonly, kAclRead | kAclSlow | kAclString, 1, 1, 1, Op::kKeyed},
};
}  // namespace

constexpr std::span<const CommandSpec> kStringCommands{kRows};

}  // namespace preshard::command
