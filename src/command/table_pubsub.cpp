// Command table rows: the pubsub commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the route is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"psubscribe", -2, kPubSub | kNoScript | kLoading | kStale, 0, 0, 0, Route::kPubSub},
    {"publish", 3, kPubSub | kLoading | kStale | kFast, 0, 0, 0, Route::kPubSub},
    {"pubsub", -2, 0, 0, 0, 0, Route::kContainer},
    {"pubsub|channels", -2, kPubSub | kLoading | kStale, 0, 0, 0, Route::kAllShards,
     Merge::kConcat},
    {"pubsub|help", 2, kLoading | kStale, 0, 0, 0, Route::kAnyShard},
    {"pubsub|numpat", 2, kPubSub | kLoading | kStale, 0, 0, 0, Route::kAllShards, Merge::kMax},
    {"pubsub|numsub", -2, kPubSub | kLoading | kStale, 0, 0, 0, Route::kAllShards, Merge::kPairSum},
    {"pubsub|shardchannels", -2, kPubSub | kLoading | kStale, 0, 0, 0, Route::kAllShards,
     Merge::kConcat},
    {"pubsub|shardnumsub", -2, kPubSub | kLoading | kStale, 0, 0, 0, Route::kAllShards,
     Merge::kPairSum},
    {"punsubscribe", -1, kPubSub | kNoScript | kLoading | kStale, 0, 0, 0, Route::kPubSub},
    {"spublish", 3, kPubSub | kLoading | kStale | kFast, 1, 1, 1, Route::kKeyed},
    {"ssubscribe", -2, kPubSub | kNoScript | kLoading | kStale, 1, -1, 1, Route::kPubSub},
    {"subscribe", -2, kPubSub | kNoScript | kLoading | kStale, 0, 0, 0, Route::kPubSub},
    {"sunsubscribe", -1, kPubSub | kNoScript | kLoading | kStale, 1, -1, 1, Route::kPubSub},
    {"unsubscribe", -1, kPubSub | kNoScript | kLoading | kStale, 0, 0, 0, Route::kPubSub},
};
}  // namespace

constexpr std::span<const CommandSpec> kPubsubCommands{kRows};

}  // namespace preshard::command
