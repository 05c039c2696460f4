#pragma once
#include <cstdint>
#include <string_view>

namespace preshard::command {

// Redis's command flags (COMMAND INFO), as a bit set. kProxyOnly marks proxy commands Redis lacks.
enum Flag : uint32_t {
  kWrite = 1u << 0,
  kReadonly = 1u << 1,
  kDenyOom = 1u << 2,
  kAdmin = 1u << 3,
  kPubSub = 1u << 4,
  kNoScript = 1u << 5,
  kBlocking = 1u << 6,
  kLoading = 1u << 7,
  kStale = 1u << 8,
  kSkipMonitor = 1u << 9,
  kSkipSlowlog = 1u << 10,
  kAsking = 1u << 11,
  kFast = 1u << 12,
  kNoAuth = 1u << 13,
  kNoMandatoryKeys = 1u << 14,
  kNoAsyncLoading = 1u << 15,
  kNoMulti = 1u << 16,
  kAllowBusy = 1u << 17,
  kProxyOnly = 1u << 31,
};

// Where a command's keys are, when Redis's legacy (first, last, step) range cannot say.
enum class Keys : uint8_t {
  kLegacy,    // the row's first..last by step (last < 0 counts from the end); none if first == 0
  kNumKeys,   // a key count at argument a, the keys right after it, plus a fixed key at b if b > 0
  kStreams,   // XREAD/XREADGROUP: after STREAMS, the first half of the remaining arguments
  kSort,      // SORT/SORT_RO: argument 1, and the STORE destination
  kGeoStore,  // GEORADIUS*: argument 1, and the STORE/STOREDIST destination
  kMigrate,   // MIGRATE: argument 3, or the list after KEYS
};

struct KeyFinder {
  Keys kind = Keys::kLegacy;
  int8_t a = 0;
  int8_t b = 0;
};

// Where a blocking command says how long it may block: the proxy bounds its wait by that.
struct BlockTimeout {
  int8_t at = 0;        // its argument: n, or -n from the end; 0: none (XREAD's is BLOCK's)
  bool millis = false;  // milliseconds (WAIT); else seconds, decimals allowed
};

// Redis's ACL categories (COMMAND INFO's, as a bit set), and preshard's own for PROXY
// administration. The users issue checks them; X(bit name, category name).
#define PRESHARD_ACL_CATEGORIES(X) \
  X(kAclKeyspace, keyspace)        \
  X(kAclRead, read)                \
  X(kAclWrite, write)              \
  X(kAclSet, set)                  \
  X(kAclSortedSet, sortedset)      \
  X(kAclList, list)                \
  X(kAclHash, hash)                \
  X(kAclString, string)            \
  X(kAclBitmap, bitmap)            \
  X(kAclHyperLogLog, hyperloglog)  \
  X(kAclGeo, geo)                  \
  X(kAclStream, stream)            \
  X(kAclPubSub, pubsub)            \
  X(kAclAdmin, admin)              \
  X(kAclFast, fast)                \
  X(kAclSlow, slow)                \
  X(kAclBlocking, blocking)        \
  X(kAclDangerous, dangerous)      \
  X(kAclConnection, connection)    \
  X(kAclTransaction, transaction)  \
  X(kAclScripting, scripting)      \
  X(kAclProxyAdmin, proxyadmin)

namespace acl_bits {
enum : uint32_t {
#define PRESHARD_ACL_INDEX(bit, name) bit##Index,
  PRESHARD_ACL_CATEGORIES(PRESHARD_ACL_INDEX)
#undef PRESHARD_ACL_INDEX
      kCount
};
}  // namespace acl_bits
enum Acl : uint32_t {
#define PRESHARD_ACL_BIT(bit, name) bit = 1u << acl_bits::bit##Index,
  PRESHARD_ACL_CATEGORIES(PRESHARD_ACL_BIT)
#undef PRESHARD_ACL_BIT
};

// How the proxy serves a command: each row names one. The generic ops route by keys; the others
// are one handler each in the proxy (op_info() says how each behaves in MULTI and subscribed
// mode). A new local command is a new op, its op_info() line, its row and its handler.
enum class Op : uint8_t {
  kKeyed,      // all its keys must hash to one shard; sent there untouched (no keys: shard 0)
  kSplit,      // keys split into one sub-command per shard, replies merged by Merge
  kAllShards,  // sent to every shard, replies merged by Merge
  kAnyShard,   // keyless and instance-independent: shard 0 answers
  kDenied,     // refused: it administers an instance or would break a shared connection
  kContainer,  // has subcommands: the row "name|sub" decides
  kBlocking,   // needs a dedicated backend connection
  kScan,       // SCAN across shards
  // Answered by the proxy itself:
  kPing,
  kEcho,
  kQuit,
  kSelect,
  kAuth,
  kHello,
  kReset,
  kCommand,
  kInfo,
  kClientSetname,
  kClientGetname,
  kClientId,
  kClientInfo,
  kProxyShard,
  kProxyHelp,
  kProxyReload,
  kProxyPause,
  kProxyResume,
  kProxyInfo,  // one instance's INFO, passed through
  // Transactions:
  kMulti,
  kExec,
  kDiscard,
  kWatch,
  kUnwatch,
  // Pub/sub:
  kSubscribe,
  kPsubscribe,
  kSsubscribe,
  kUnsubscribe,
  kPunsubscribe,
  kSunsubscribe,
  kPublish,
  // Scripts, through the proxy's script cache (proxy/scripts.cpp):
  kEval,          // EVAL, EVAL_RO: as kKeyed; the body is remembered
  kEvalsha,       // EVALSHA, EVALSHA_RO: as kKeyed; a known script is loaded first where needed
  kScriptLoad,    // compiled on one shard, remembered, loaded elsewhere when first needed
  kScriptExists,  // answered from the cache
  kScriptFlush,   // every shard, and the cache
  // Functions, through the proxy's function cache (proxy/functions.cpp):
  kFcall,         // FCALL, FCALL_RO: as kKeyed; a library loaded through the proxy goes first
  kFunctionLoad,  // every shard, and the library remembered
  kFunctionDrop,  // FUNCTION DELETE / FLUSH: every shard, and the cache
  // The proxy's own clients, on every worker (proxy/clients.cpp):
  kClientList,
  kClientKill,
  kClientNoEvict,
  kClientReply,  // CLIENT REPLY ON|OFF|SKIP: the client's replies kept back by the proxy
  // The proxy's own SLOWLOG and LATENCY, gathered from every worker (proxy/slowlog.cpp):
  kSlowlog,
  kLatency,
  // The proxy's users (proxy/acl_commands.cpp).
  kAcl,
  // CONFIG SET/REWRITE/RESETSTAT: every shard when config_commands allows, else refused.
  kConfigChange,
  kCount
};

// How replies from several shards become one.
enum class Merge : uint8_t {
  kNone,
  kMget,      // values put back in request order
  kSum,       // integers added
  kAllOk,     // +OK only if every shard said +OK
  kAllSame,   // every shard must give the same reply (SCRIPT LOAD's sha)
  kConcat,    // arrays concatenated
  kAnd,       // arrays of 0/1 combined by logical and
  kRandom,    // a random non-empty answer
  kOneOk,     // success if any shard succeeded
  kPairSum,   // arrays of name, count pairs (PUBSUB NUMSUB): counts added, names kept
  kMax,       // the largest integer (PUBSUB NUMPAT: the proxies subscribe a pattern everywhere)
  kKeyspace,  // INFO keyspace texts summed per database
  kSettings,  // CONFIG GET: the name, value pairs every shard gives alike (a map in RESP3)
};

// One row of the command table: the facts from Redis (arity, flags, key positions) and the
// proxy's policy.
struct CommandSpec {
  std::string_view name;  // lowercase; "container|sub" for subcommands
  int16_t arity;          // n: exactly n arguments (name included); -n: at least n
  uint32_t flags;
  uint32_t acl;              // ACL categories (Acl bits)
  int8_t first, last, step;  // Redis's legacy key range, as COMMAND INFO reports it
  Op op;
  Merge merge = Merge::kNone;
  KeyFinder keys = {};
  BlockTimeout timeout = {};
  // The argument holding a script's source (EVAL, SCRIPT LOAD, FUNCTION LOAD): n, or -n from
  // the end; 0: none. Its calls are checked before it reaches an instance (script_check.hpp).
  int8_t script_at = 0;

  bool has(Flag f) const { return (flags & f) != 0; }
  bool in(Acl category) const { return (acl & category) != 0; }
  bool movable_keys() const { return keys.kind != Keys::kLegacy; }
  // EVAL, EVALSHA, FCALL and their _RO forms: they run a script, which SCRIPT KILL or FUNCTION
  // KILL can stop.
  bool runs_script() const { return in(kAclScripting) && keys.kind == Keys::kNumKeys; }
};

}  // namespace preshard::command
