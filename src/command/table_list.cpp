// Command table rows: the list commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the op is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    with_timeout({"blmove", 6, kWrite | kDenyOom | kNoScript | kBlocking,
                  kAclBlocking | kAclList | kAclSlow | kAclWrite, 1, 2, 1, Op::kBlocking},
                 {-1}),
    with_timeout({"blmpop",
                  -5,
                  kWrite | kBlocking,
                  kAclBlocking | kAclList | kAclSlow | kAclWrite,
                  0,
                  0,
                  0,
                  Op::kBlocking,
                  Merge::kNone,
                  {Keys::kNumKeys, 2, 0}},
                 {1}),
    with_timeout({"blpop", -3, kWrite | kNoScript | kBlocking,
                  kAclBlocking | kAclList | kAclSlow | kAclWrite, 1, -2, 1, Op::kBlocking},
                 {-1}),
    with_timeout({"brpop", -3, kWrite | kNoScript | kBlocking,
                  kAclBlocking | kAclList | kAclSlow | kAclWrite, 1, -2, 1, Op::kBlocking},
                 {-1}),
    with_timeout({"brpoplpush", 4, kWrite | kDenyOom | kNoScript | kBlocking,
                  kAclBlocking | kAclList | kAclSlow | kAclWrite, 1, 2, 1, Op::kBlocking},
                 {-1}),
    {"lindex", 3, kReadonly, kAclList | kAclRead | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"linsert", 5, kWrite | kDenyOom, kAclList | kAclSlow | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"llen", 2, kReadonly | kFast, kAclFast | kAclList | kAclRead, 1, 1, 1, Op::kKeyed},
    {"lmove", 5, kWrite | kDenyOom, kAclList | kAclSlow | kAclWrite, 1, 2, 1, Op::kKeyed},
    {"lmpop",
     -4,
     kWrite,
     kAclList | kAclSlow | kAclWrite,
     0,
     0,
     0,
     Op::kKeyed,
     Merge::kNone,
     {Keys::kNumKeys, 1, 0}},
    {"lpop", -2, kWrite | kFast, kAclFast | kAclList | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"lpos", -3, kReadonly, kAclList | kAclRead | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"lpush", -3, kWrite | kDenyOom | kFast, kAclFast | kAclList | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"lpushx", -3, kWrite | kDenyOom | kFast, kAclFast | kAclList | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"lrange", 4, kReadonly, kAclList | kAclRead | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"lrem", 4, kWrite, kAclList | kAclSlow | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"lset", 4, kWrite | kDenyOom, kAclList | kAclSlow | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"ltrim", 4, kWrite, kAclList | kAclSlow | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"rpop", -2, kWrite | kFast, kAclFast | kAclList | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"rpoplpush", 3, kWrite | kDenyOom, kAclList | kAclSlow | kAclWrite, 1, 2, 1, Op::kKeyed},
    {"rpush", -3, kWrite | kDenyOom | kFast, kAclFast | kAclList | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"rpushx", -3, kWrite | kDenyOom | kFast, kAclFast | kAclList | kAclWrite, 1, 1, 1, Op::kKeyed},
};
}  // namespace

constexpr std::span<const CommandSpec> kListCommands{kRows};

}  // namespace preshard::command
