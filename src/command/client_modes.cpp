#include "preshard/command/client_modes.hpp"

#include <array>

namespace preshard::command {

namespace {

constexpr std::string_view kLocal = "answered by preshard";
constexpr std::string_view kTxn = "a transaction on one shard (MULTI ... EXEC sent as one block)";
constexpr std::string_view kPubSubText =
    "pub/sub: channels hashed like keys, patterns on every shard";
constexpr std::string_view kClients = "answered by preshard for its own clients, on every thread";
constexpr std::string_view kScript =
    "sent to the shard of its keys; the proxy's script cache loads the script there if needed";
constexpr std::string_view kScriptCache =
    "the proxy's script cache (scripts reach each shard when first run there)";

// One line per op, in Op's order (checked below).
struct Row {
  Op op;
  OpInfo info;
};
constexpr Row kOps[] = {
    {Op::kKeyed,
     {"sent to the shard of its keys (all keys must share a shard)", InMulti::kQueue, false}},
    // Split: queued when its keys are on the transaction's shard.
    {Op::kSplit, {"split per shard and merged", InMulti::kQueue, false}},
    // A whole-keyspace answer cannot come from one shard.
    {Op::kAllShards, {"sent to every shard and merged", InMulti::kRefuse, false}},
    {Op::kAnyShard, {"answered by shard 0", InMulti::kQueue, false}},
    {Op::kDenied, {"refused by preshard", InMulti::kRefuse, false}},
    {Op::kContainer, {"see its subcommands", InMulti::kRefuse, false}},
    // Redis runs blocking commands inside MULTI without blocking.
    {Op::kBlocking,
     {"sent to the shard of its keys on a dedicated connection", InMulti::kQueue, false}},
    {Op::kScan,
     {"walks the shards one after another (cursor = shard + N * shard cursor)", InMulti::kRefuse,
      false}},
    // The instance answers PING and ECHO exactly as the proxy would.
    {Op::kPing, {kLocal, InMulti::kQueue, true}},
    {Op::kEcho, {kLocal, InMulti::kQueue, false}},
    {Op::kQuit, {kLocal, InMulti::kRunNow, true}},
    {Op::kSelect, {kLocal, InMulti::kRefuse, false}},
    {Op::kAuth, {kLocal, InMulti::kRefuse, false}},
    {Op::kHello, {kLocal, InMulti::kRefuse, false}},
    {Op::kReset, {kLocal, InMulti::kRunNow, true}},
    {Op::kCommand, {kLocal, InMulti::kRefuse, false}},
    {Op::kInfo, {kLocal, InMulti::kRefuse, false}},
    {Op::kClientSetname, {kLocal, InMulti::kRefuse, false}},
    {Op::kClientGetname, {kLocal, InMulti::kRefuse, false}},
    {Op::kClientId, {kLocal, InMulti::kRefuse, false}},
    {Op::kClientInfo, {kLocal, InMulti::kRefuse, false}},
    {Op::kProxyShard, {kLocal, InMulti::kRefuse, false}},
    {Op::kProxyHelp, {kLocal, InMulti::kRefuse, false}},
    {Op::kProxyReload, {kLocal, InMulti::kRefuse, false}},
    {Op::kProxyPause, {kLocal, InMulti::kRefuse, false}},
    {Op::kProxyResume, {kLocal, InMulti::kRefuse, false}},
    {Op::kProxyInfo, {kLocal, InMulti::kRefuse, false}},
    {Op::kMulti, {kTxn, InMulti::kControl, false}},
    {Op::kExec, {kTxn, InMulti::kControl, false}},
    {Op::kDiscard, {kTxn, InMulti::kControl, false}},
    {Op::kWatch, {kTxn, InMulti::kControl, false}},
    {Op::kUnwatch, {kTxn, InMulti::kQueue, false}},
    {Op::kSubscribe, {kPubSubText, InMulti::kRefuse, true}},
    {Op::kPsubscribe, {kPubSubText, InMulti::kRefuse, true}},
    {Op::kSsubscribe, {kPubSubText, InMulti::kRefuse, true}},
    {Op::kUnsubscribe, {kPubSubText, InMulti::kRefuse, true}},
    {Op::kPunsubscribe, {kPubSubText, InMulti::kRefuse, true}},
    {Op::kSunsubscribe, {kPubSubText, InMulti::kRefuse, true}},
    // Queued when its channel hashes to the transaction's shard (Celery, kombu).
    {Op::kPublish, {kPubSubText, InMulti::kQueue, false}},
    {Op::kEval, {kScript, InMulti::kQueue, false}},
    {Op::kEvalsha, {kScript, InMulti::kQueue, false}},
    {Op::kScriptLoad, {kScriptCache, InMulti::kRefuse, false}},
    {Op::kScriptExists, {kScriptCache, InMulti::kRefuse, false}},
    {Op::kScriptFlush, {kScriptCache, InMulti::kRefuse, false}},
    {Op::kFcall, {kScript, InMulti::kQueue, false}},
    {Op::kFunctionLoad,
     {"sent to every shard and merged; the library is remembered", InMulti::kRefuse, false}},
    {Op::kFunctionDrop,
     {"sent to every shard and merged; the proxy's copy is dropped", InMulti::kRefuse, false}},
    {Op::kClientList, {kClients, InMulti::kRefuse, false}},
    {Op::kClientKill, {kClients, InMulti::kRefuse, false}},
    {Op::kClientNoEvict, {kClients, InMulti::kRefuse, false}},
    {Op::kClientReply,
     {"answered by preshard: the replies it keeps back are read from the instances and dropped",
      InMulti::kRefuse, false}},
    {Op::kSlowlog,
     {"the proxy's own slowlog (end to end, with the shards), every thread", InMulti::kRefuse,
      false}},
    {Op::kLatency,
     {"the proxy's own events (reload, pause, failover, slow shard)", InMulti::kRefuse, false}},
    {Op::kAcl, {"the proxy's own users (users, aclfile, requirepass)", InMulti::kRefuse, false}},
    {Op::kConfigChange,
     {"refused, or sent to every shard with config_commands: all_shards", InMulti::kRefuse, false}},
};

constexpr bool in_order() {
  for (size_t i = 0; i < std::size(kOps); ++i) {
    if (static_cast<size_t>(kOps[i].op) != i) return false;
  }
  return std::size(kOps) == static_cast<size_t>(Op::kCount);
}
static_assert(in_order(), "kOps must have one line per Op, in Op's order");

constexpr std::string_view kAclNames[] = {
#define PRESHARD_ACL_NAME(bit, name) #name,
    PRESHARD_ACL_CATEGORIES(PRESHARD_ACL_NAME)
#undef PRESHARD_ACL_NAME
};

}  // namespace

const OpInfo& op_info(Op op) {
  return kOps[static_cast<size_t>(op)].info;
}

std::string_view acl_category_name(uint32_t bit_index) {
  return bit_index < std::size(kAclNames) ? kAclNames[bit_index] : std::string_view();
}

}  // namespace preshard::command
