#pragma once
// Every error text a client can see, in one place, each with the kind that stats count. Redis's
// exact wording wherever Redis has the same error. Texts carry their code ("ERR ...") and no
// leading '-' or CRLF: the reply writer adds those.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "preshard/resp/request.hpp"

namespace preshard::core::errors {

// X(Kind, name for INFO): what went wrong, as counted per kind.
#define PRESHARD_ERROR_KINDS(X)                                                         \
  X(kProtocol, protocol)                  /* malformed RESP from a client */            \
  X(kUnknownCommand, unknown_command)     /* no such command or subcommand */           \
  X(kWrongArity, wrong_arity)             /* wrong number of arguments */               \
  X(kSyntax, syntax)                      /* an option the command does not take */     \
  X(kValue, value)                        /* an argument out of range or malformed */   \
  X(kCrossShard, crossshard)              /* keys on several shards */                  \
  X(kRefused, refused)                    /* refused by policy */                       \
  X(kUnsupported, unsupported)            /* not built yet */                           \
  X(kShardUnavailable, shard_unavailable) /* an instance could not be used */           \
  X(kShardTimeout, shard_timeout)         /* an instance did not answer in time */      \
  X(kShardReply, shard_reply)             /* an instance answered something unusable */ \
  X(kLimit, limit)                        /* a configured limit was reached */          \
  X(kTransaction, transaction)            /* MULTI/EXEC misuse */                       \
  X(kAuth, auth)                          /* authentication failed */                   \
  X(kNoPerm, noperm)                      /* not allowed for this connection */         \
  X(kSubscribed, subscribed)              /* not allowed in subscribed mode */          \
  X(kProxy, proxy)                        /* the proxy's own administration */

enum class Kind : uint8_t {
#define PRESHARD_ERROR_KIND(k, name) k,
  PRESHARD_ERROR_KINDS(PRESHARD_ERROR_KIND)
#undef PRESHARD_ERROR_KIND
      kCount
};
inline constexpr size_t kKindCount = static_cast<size_t>(Kind::kCount);
// "crossshard", "shard_timeout", ...
std::string_view kind_name(Kind k);

// One client-visible error.
struct Error {
  Kind kind;
  std::string text;
  bool operator==(std::string_view other) const { return text == other; }
};

inline const Error kCrossShard{Kind::kCrossShard,
                               "CROSSSHARD Keys in request don't hash to the same shard"};
inline const Error kSyntax{Kind::kSyntax, "ERR syntax error"};
inline const Error kInvalidCursor{Kind::kValue, "ERR invalid cursor"};
inline const Error kNotInteger{Kind::kValue, "ERR value is not an integer or out of range"};
inline const Error kDbIndexOutOfRange{Kind::kValue, "ERR DB index is out of range"};
// Redis 7.0's getRangeLongFromObjectOrReply wording (sic: "must between").
inline const Error kSelectOutOfRange{
    Kind::kValue, "ERR value is out of range, value must between -2147483648 and 2147483647"};
inline const Error kNoProto{Kind::kValue, "NOPROTO unsupported protocol version"};
inline const Error kProtoVersionNotInteger{
    Kind::kValue, "ERR Protocol version is not an integer or out of range"};
inline const Error kAuthNoPassword{
    Kind::kAuth,
    "ERR AUTH <password> called without any password configured for the default user. Are you "
    "sure your configuration is correct?"};
inline const Error kWrongPass{Kind::kAuth,
                              "WRONGPASS invalid username-password pair or user is disabled."};
// Users and rights (issue 15), in Redis 7.0's words.
inline const Error kNoAuth{Kind::kAuth, "NOAUTH Authentication required."};
inline const Error kHelloNoAuth{
    Kind::kAuth,
    "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH "
    "<user> <pass> option can be used to authenticate the client and select the RESP protocol "
    "version at the same time"};
inline const Error kNoPermKey{
    Kind::kNoPerm,
    "NOPERM this user has no permissions to access one of the keys used as arguments"};
inline const Error kNoPermChannel{
    Kind::kNoPerm,
    "NOPERM this user has no permissions to access one of the channels used as arguments"};
inline const Error kUnauthMultibulk{Kind::kProtocol,
                                    "ERR Protocol error: unauthenticated multibulk length"};
inline const Error kUnauthBulk{Kind::kProtocol, "ERR Protocol error: unauthenticated bulk length"};
inline const Error kMaxClients{Kind::kLimit, "ERR max number of clients reached"};
// CLIENT LIST / KILL, in Redis 7.0's words.
inline const Error kNoSuchClient{Kind::kValue, "ERR No such client"};
inline const Error kInvalidClientId{Kind::kValue, "ERR Invalid client ID"};
inline const Error kClientIdPositive{Kind::kValue, "ERR client-id should be greater than 0"};
inline const Error kBadClientName{
    Kind::kValue, "ERR Client names cannot contain spaces, newlines or special characters."};
inline const Error kMultiNested{Kind::kTransaction, "ERR MULTI calls can not be nested"};
inline const Error kWatchInsideMulti{Kind::kTransaction, "ERR WATCH inside MULTI is not allowed"};
inline const Error kExecWithoutMulti{Kind::kTransaction, "ERR EXEC without MULTI"};
inline const Error kDiscardWithoutMulti{Kind::kTransaction, "ERR DISCARD without MULTI"};
inline const Error kExecAbort{Kind::kTransaction,
                              "EXECABORT Transaction discarded because of previous errors."};
inline const Error kSlowlogCount{Kind::kValue, "ERR count should be greater than or equal to -1"};
inline const Error kShuttingDown{Kind::kProxy, "ERR the proxy is shutting down"};
inline const Error kTransactionTooBig{
    Kind::kLimit, "ERR transaction too big: its queued commands exceed max_request_bytes"};

// "ERR unknown command 'x', with args beginning with: 'a' 'b' " (Redis's text; CR and LF in
// the echoed arguments become spaces so the reply stays one line).
Error unknown_command(const resp::Request& req);
// "ERR unknown subcommand 'x'. Try OBJECT HELP."
Error unknown_subcommand(const resp::Request& req);
// "ERR wrong number of arguments for 'get' command" (subcommands as 'object|encoding').
Error wrong_arity(std::string_view full_name);
// "NOPERM this user has no permissions to run the 'flushall' command" ('config|set' for one).
Error no_perm_command(std::string_view full_name);
// Commands the proxy refuses by policy.
Error refused(std::string_view full_name);
// A script (EVAL, SCRIPT LOAD, FUNCTION LOAD) that calls a refused command by name.
Error script_refused(std::string_view called);
// Commands whose support is planned but not built yet.
Error not_supported_yet(std::string_view full_name);
// An instance could not be used; `why` is short ("connection refused", "connection lost").
Error shard_unavailable(size_t shard, std::string_view why);
Error shard_timeout(size_t shard, unsigned timeout_ms);
// The shard's instance answered ROLE as a replica (role fencing): nothing is sent to it until
// the map names the shard's master. Redis's READONLY code, so clients treat it as Redis's own.
Error shard_not_master(size_t shard, std::string_view address, std::string_view role);
// The bytes queued towards one instance (unsent, or held by a pause) reached their bound.
Error shard_overloaded(size_t shard, uint64_t limit);
// Every dedicated connection to that shard (blocking commands, WATCH) is in use.
Error blocking_limit(size_t shard, unsigned limit);
// A command that cannot be part of a transaction bound to one shard (MULTI ... EXEC).
Error not_in_transaction(std::string_view full_name);
// A refused EXEC ends the transaction, as Redis's execCommandAbort: "EXECABORT Transaction
// discarded because of: <the refusal without its ERR code>".
Error exec_refused(const Error& why);
// A queued command whose rights a reload took away before EXEC (Redis's text, with its reason).
Error exec_acl_changed(std::string_view reason);
// PROXY PAUSE/RESUME with a shard number outside 0..shards-1.
Error shard_out_of_range(std::string_view arg, size_t shards);
// A reload refused; `why` is the first problem ("file:line: key: message").
Error reload_refused(std::string_view why);
// Redis's refusal of a command in subscribed mode.
Error not_when_subscribed(std::string_view full_name);
// A command split across shards failed on some of them: one error for the whole command.
// "ERR failed on shards 3, 17 (first error: ERR shard 3 is unavailable (connection refused))"
Error split_failed(const std::vector<size_t>& shards, std::string_view first_error);

// A client's malformed RESP; `why` is the request reader's text ("Protocol error: ...").
Error protocol(std::string_view why);
// HELLO with an option it does not know.
Error hello_option(std::string_view option);
// SORT BY/GET with a pattern whose keys may live on another shard (Redis Cluster's rule).
Error sort_pattern_refused(std::string_view option);
// CLIENT LIST/KILL TYPE x; CLIENT KILL USER x of a user that does not exist.
Error unknown_client_type(std::string_view type);
Error no_such_user(std::string_view user);
// PROXY PAUSE ... TIMEOUT with a bad value.
extern const Error kPauseTimeout;
// An instance refused a subscription, or its subscriber connection was moved by a reload.
Error subscription_refused(size_t shard);
Error shard_moved(size_t shard);
// The instance refused the MULTI of a queue check (multi_queue_check): its words, raw.
Error queue_check_refused(size_t shard, std::string_view multi_reply);
// An instance's reply cannot be used as the command needs it.
extern const Error kMalformedReply;
extern const Error kUnexpectedReply;
extern const Error kUnexpectedKeyspaceReply;
extern const Error kDifferentReplies;
extern const Error kCannotMerge;
Error unexpected_scan_reply(size_t shard);
Error scan_cursor_too_large(size_t shard);
// COMMAND GETKEYS and COMMAND's own subcommands (Redis's texts).
extern const Error kInvalidCommandSpecified;
extern const Error kNoKeyArguments;
extern const Error kInvalidArgumentCount;
extern const Error kInvalidArguments;
Error command_unknown_subcommand(std::string_view sub);

}  // namespace preshard::core::errors
