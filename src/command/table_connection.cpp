// Command table rows: the connection commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the op is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"auth", -2, kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
     kAclConnection | kAclFast, 0, 0, 0, Op::kAuth},
    {"client", -2, 0, kAclSlow, 0, 0, 0, Op::kContainer},
    {"client|caching", 3, kNoScript | kLoading | kStale, kAclConnection | kAclSlow, 0, 0, 0,
     Op::kDenied},
    {"client|getname", 2, kNoScript | kLoading | kStale, kAclConnection | kAclSlow, 0, 0, 0,
     Op::kClientGetname},
    {"client|getredir", 2, kNoScript | kLoading | kStale, kAclConnection | kAclSlow, 0, 0, 0,
     Op::kDenied},
    {"client|help", 2, kLoading | kStale, kAclConnection | kAclSlow, 0, 0, 0, Op::kAnyShard},
    {"client|id", 2, kNoScript | kLoading | kStale, kAclConnection | kAclSlow, 0, 0, 0,
     Op::kClientId},
    {"client|info", 2, kNoScript | kLoading | kStale, kAclConnection | kAclSlow, 0, 0, 0,
     Op::kClientInfo},
    {"client|kill", -3, kAdmin | kNoScript | kLoading | kStale,
     kAclAdmin | kAclConnection | kAclDangerous | kAclSlow, 0, 0, 0, Op::kClientKill},
    {"client|list", -2, kAdmin | kNoScript | kLoading | kStale,
     kAclAdmin | kAclConnection | kAclDangerous | kAclSlow, 0, 0, 0, Op::kClientList},
    {"client|no-evict", 3, kAdmin | kNoScript | kLoading | kStale,
     kAclAdmin | kAclConnection | kAclDangerous | kAclSlow, 0, 0, 0, Op::kClientNoEvict},
    {"client|pause", -3, kAdmin | kNoScript | kLoading | kStale,
     kAclAdmin | kAclConnection | kAclDangerous | kAclSlow, 0, 0, 0, Op::kDenied},
    {"client|reply", 3, kNoScript | kLoading | kStale, kAclConnection | kAclSlow, 0, 0, 0,
     Op::kClientReply},
    {"client|setname", 3, kNoScript | kLoading | kStale, kAclConnection | kAclSlow, 0, 0, 0,
     Op::kClientSetname},
    {"client|tracking", -3, kNoScript | kLoading | kStale, kAclConnection | kAclSlow, 0, 0, 0,
     Op::kDenied},
    {"client|trackinginfo", 2, kNoScript | kLoading | kStale, kAclConnection | kAclSlow, 0, 0, 0,
     Op::kDenied},
    {"client|unblock", -3, kAdmin | kNoScript | kLoading | kStale,
     kAclAdmin | kAclConnection | kAclDangerous | kAclSlow, 0, 0, 0, Op::kDenied},
    {"client|unpause", 2, kAdmin | kNoScript | kLoading | kStale,
     kAclAdmin | kAclConnection | kAclDangerous | kAclSlow, 0, 0, 0, Op::kDenied},
    {"echo", 2, kLoading | kStale | kFast, kAclConnection | kAclFast, 0, 0, 0, Op::kEcho},
    {"hello", -1, kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
     kAclConnection | kAclFast, 0, 0, 0, Op::kHello},
    {"ping", -1, kFast, kAclConnection | kAclFast, 0, 0, 0, Op::kPing},
    {"quit", -1, kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
     kAclConnection | kAclFast, 0, 0, 0, Op::kQuit},
    {"reset", 1, kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
     kAclConnection | kAclFast, 0, 0, 0, Op::kReset},
    {"select", 2, kLoading | kStale | kFast, kAclConnection | kAclFast, 0, 0, 0, Op::kSelect},
};
}  // namespace

constexpr std::span<const CommandSpec> kConnectionCommands{kRows};

}  // namespace preshard::command
