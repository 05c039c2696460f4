// Command table rows: the hash commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the op is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"hdel", -3, kWrite | kFast, kAclFast | kAclHash | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"hexists", 3, kReadonly | kFast, kAclFast | kAclHash | kAclRead, 1, 1, 1, Op::kKeyed},
    {"hget", 3, kReadonly | kFast, kAclFast | kAclHash | kAclRead, 1, 1, 1, Op::kKeyed},
    {"hgetall", 2, kReadonly, kAclHash | kAclRead | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"hincrby", 4, kWrite | kDenyOom | kFast, kAclFast | kAclHash | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"hincrbyfloat", 4, kWrite | kDenyOom | kFast, kAclFast | kAclHash | kAclWrite, 1, 1, 1,
     Op::kKeyed},
    {"hkeys", 2, kReadonly, kAclHash | kAclRead | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"hlen", 2, kReadonly | kFast, kAclFast | kAclHash | kAclRead, 1, 1, 1, Op::kKeyed},
    {"hmget", -3, kReadonly | kFast, kAclFast | kAclHash | kAclRead, 1, 1, 1, Op::kKeyed},
    {"hmset", -4, kWrite | kDenyOom | kFast, kAclFast | kAclHash | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"hrandfield", -2, kReadonly, kAclHash | kAclRead | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"hscan", -3, kReadonly, kAclHash | kAclRead | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"hset", -4, kWrite | kDenyOom | kFast, kAclFast | kAclHash | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"hsetnx", 4, kWrite | kDenyOom | kFast, kAclFast | kAclHash | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"hstrlen", 3, kReadonly | kFast, kAclFast | kAclHash | kAclRead, 1, 1, 1, Op::kKeyed},
    {"hvals", 2, kReadonly, kAclHash | kAclRead | kAclSlow, 1, 1, 1, Op::kKeyed},
};
}  // namespace

constexpr std::span<const CommandSpec> kHashCommands{kRows};

}  // namespace preshard::command
