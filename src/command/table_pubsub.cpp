// Command table rows: the pubsub commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the op is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"psubscribe", -2, kPubSub | kNoScript | kLoading | kStale, kAclPubSub | kAclSlow, 0, 0, 0,
     Op::kPsubscribe},
    {"publish", 3, kPubSub | kLoading | kStale | kFast, kAclFast | kAclPubSub, 0, 0, 0,
     Op::kPublish},
    {"pubsub", -2, 0, kAclSlow, 0, 0, 0, Op::kContainer},
    {"pubsub|channels", -2, kPubSub | kLoading | kStale, kAclPubSub | kAclSlow, 0, 0, 0,
     Op::kAllShards, Merge::kConcat},
    {"pubsub|help", 2, kLoading | kStale, kAclSlow, 0, 0, 0, Op::kAnyShard},
    {"pubsub|numpat", 2, kPubSub | kLoading | kStale, kAclPubSub | kAclSlow, 0, 0, 0,
     Op::kAllShards, Merge::kMax},
    {"pubsub|numsub", -2, kPubSub | kLoading | kStale, kAclPubSub | kAclSlow, 0, 0, 0,
     Op::kAllShards, Merge::kPairSum},
    {"pubsub|shardchannels", -2, kPubSub | kLoading | kStale, kAclPubSub | kAclSlow, 0, 0, 0,
     Op::kAllShards, Merge::kConcat},
    {"pubsub|shardnumsub", -2, kPubSub | kLoading | kStale, kAclPubSub | kAclSlow, 0, 0, 0,
     Op::kAllShards, Merge::kPairSum},
    {"punsubscribe", -1, kPubSub | kNoScript | kLoading | kStale, kAclPubSub | kAclSlow, 0, 0, 0,
     Op::kPunsubscribe},
    {"spublish", 3, kPubSub | kLoading | kStale | kFast, kAclFast | kAclPubSub, 1, 1, 1,
     Op::kPublish},
    {"ssubscribe", -2, kPubSub | kNoScript | kLoading | kStale, kAclPubSub | kAclSlow, 1, -1, 1,
     Op::kSsubscribe},
    {"subscribe", -2, kPubSub | kNoScript | kLoading | kStale, kAclPubSub | kAclSlow, 0, 0, 0,
     Op::kSubscribe},
    {"sunsubscribe", -1, kPubSub | kNoScript | kLoading | kStale, kAclPubSub | kAclSlow, 1, -1, 1,
     Op::kSunsubscribe},
    {"unsubscribe", -1, kPubSub | kNoScript | kLoading | kStale, kAclPubSub | kAclSlow, 0, 0, 0,
     Op::kUnsubscribe},
};
}  // namespace

constexpr std::span<const CommandSpec> kPubsubCommands{kRows};

}  // namespace preshard::command
