// Command table rows: the bitmap commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the op is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"bitcount", -2, kReadonly, kAclBitmap | kAclRead | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"bitfield", -2, kWrite | kDenyOom, kAclBitmap | kAclSlow | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"bitfield_ro", -2, kReadonly | kFast, kAclBitmap | kAclFast | kAclRead, 1, 1, 1, Op::kKeyed},
    {"bitop", -4, kWrite | kDenyOom, kAclBitmap | kAclSlow | kAclWrite, 2, -1, 1, Op::kKeyed},
    {"bitpos", -3, kReadonly, kAclBitmap | kAclRead | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"getbit", 3, kReadonly | kFast, kAclBitmap | kAclFast | kAclRead, 1, 1, 1, Op::kKeyed},
    {"setbit", 4, kWrite | kDenyOom, kAclBitmap | kAclSlow | kAclWrite, 1, 1, 1, Op::kKeyed},
};
}  // namespace

constexpr std::span<const CommandSpec> kBitmapCommands{kRows};

}  // namespace preshard::command
