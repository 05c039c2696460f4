// Command table rows: the stream commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the op is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"xack", -4, kWrite | kFast, kAclFast | kAclStream | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"xadd", -5, kWrite | kDenyOom | kFast, kAclFast | kAclStream | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"xautoclaim", -6, kWrite | kFast, kAclFast | kAclStream | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"xclaim", -6, kWrite | kFast, kAclFast | kAclStream | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"xdel", -3, kWrite | kFast, kAclFast | kAclStream | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"xgroup", -2, 0, kAclSlow, 0, 0, 0, Op::kContainer},
    {"xgroup|create", -5, kWrite | kDenyOom, kAclSlow | kAclStream | kAclWrite, 2, 2, 1,
     Op::kKeyed},
    {"xgroup|createconsumer", 5, kWrite | kDenyOom, kAclSlow | kAclStream | kAclWrite, 2, 2, 1,
     Op::kKeyed},
    {"xgroup|delconsumer", 5, kWrite, kAclSlow | kAclStream | kAclWrite, 2, 2, 1, Op::kKeyed},
    {"xgroup|destroy", 4, kWrite, kAclSlow | kAclStream | kAclWrite, 2, 2, 1, Op::kKeyed},
    {"xgroup|help", 2, kLoading | kStale, kAclSlow | kAclStream, 0, 0, 0, Op::kAnyShard},
    {"xgroup|setid", -5, kWrite, kAclSlow | kAclStream | kAclWrite, 2, 2, 1, Op::kKeyed},
    {"xinfo", -2, 0, kAclSlow, 0, 0, 0, Op::kContainer},
    {"xinfo|consumers", 4, kReadonly, kAclRead | kAclSlow | kAclStream, 2, 2, 1, Op::kKeyed},
    {"xinfo|groups", 3, kReadonly, kAclRead | kAclSlow | kAclStream, 2, 2, 1, Op::kKeyed},
    {"xinfo|help", 2, kLoading | kStale, kAclSlow | kAclStream, 0, 0, 0, Op::kAnyShard},
    {"xinfo|stream", -3, kReadonly, kAclRead | kAclSlow | kAclStream, 2, 2, 1, Op::kKeyed},
    {"xlen", 2, kReadonly | kFast, kAclFast | kAclRead | kAclStream, 1, 1, 1, Op::kKeyed},
    {"xpending", -3, kReadonly, kAclRead | kAclSlow | kAclStream, 1, 1, 1, Op::kKeyed},
    {"xrange", -4, kReadonly, kAclRead | kAclSlow | kAclStream, 1, 1, 1, Op::kKeyed},
    {"xread",
     -4,
     kReadonly | kBlocking,
     kAclBlocking | kAclRead | kAclSlow | kAclStream,
     0,
     0,
     0,
     Op::kKeyed,
     Merge::kNone,
     {Keys::kStreams}},
    {"xreadgroup",
     -7,
     kWrite | kBlocking,
     kAclBlocking | kAclSlow | kAclStream | kAclWrite,
     0,
     0,
     0,
     Op::kKeyed,
     Merge::kNone,
     {Keys::kStreams}},
    {"xrevrange", -4, kReadonly, kAclRead | kAclSlow | kAclStream, 1, 1, 1, Op::kKeyed},
    {"xsetid", -3, kWrite | kDenyOom | kFast, kAclFast | kAclStream | kAclWrite, 1, 1, 1,
     Op::kKeyed},
    {"xtrim", -4, kWrite, kAclSlow | kAclStream | kAclWrite, 1, 1, 1, Op::kKeyed},
};
}  // namespace

constexpr std::span<const CommandSpec> kStreamCommands{kRows};

}  // namespace preshard::command
