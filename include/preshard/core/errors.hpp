#pragma once
// Every error text a client can see, in one place. Redis's exact wording wherever Redis has the
// same error. Texts carry their code ("ERR ...") and no leading '-' or CRLF: resp::append_error
// adds those.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "preshard/resp/request.hpp"

namespace preshard::core::errors {

inline constexpr std::string_view kCrossShard =
    "CROSSSHARD Keys in request don't hash to the same shard";
inline constexpr std::string_view kSyntax = "ERR syntax error";
inline constexpr std::string_view kInvalidCursor = "ERR invalid cursor";
inline constexpr std::string_view kNotInteger = "ERR value is not an integer or out of range";
inline constexpr std::string_view kDbIndexOutOfRange = "ERR DB index is out of range";
inline constexpr std::string_view kNoProto = "NOPROTO unsupported protocol version";
inline constexpr std::string_view kProtoVersionNotInteger =
    "ERR Protocol version is not an integer or out of range";
inline constexpr std::string_view kAuthNoPassword =
    "ERR AUTH <password> called without any password configured for the default user. Are you "
    "sure your configuration is correct?";
inline constexpr std::string_view kWrongPass =
    "WRONGPASS invalid username-password pair or user is disabled.";
inline constexpr std::string_view kMaxClients = "ERR max number of clients reached";
inline constexpr std::string_view kBadClientName =
    "ERR Client names cannot contain spaces, newlines or special characters.";
inline constexpr std::string_view kMultiNested = "ERR MULTI calls can not be nested";
inline constexpr std::string_view kWatchInsideMulti = "ERR WATCH inside MULTI is not allowed";
inline constexpr std::string_view kExecWithoutMulti = "ERR EXEC without MULTI";
inline constexpr std::string_view kDiscardWithoutMulti = "ERR DISCARD without MULTI";
inline constexpr std::string_view kExecAbort =
    "EXECABORT Transaction discarded because of previous errors.";
inline constexpr std::string_view kAdminOnly =
    "NOPERM this command is for administrators: AUTH admin <admin_password> first";
inline constexpr std::string_view kShuttingDown = "ERR the proxy is shutting down";
inline constexpr std::string_view kTransactionTooBig =
    "ERR transaction too big: its queued commands exceed max_request_bytes";

// "ERR unknown command 'x', with args beginning with: 'a' 'b' " (Redis's text; CR and LF in
// the echoed arguments become spaces so the reply stays one line).
std::string unknown_command(const resp::Request& req);
// "ERR unknown subcommand 'x'. Try OBJECT HELP."
std::string unknown_subcommand(const resp::Request& req);
// "ERR wrong number of arguments for 'get' command" (subcommands as 'object|encoding').
std::string wrong_arity(std::string_view full_name);
// Commands the proxy refuses by policy.
std::string refused(std::string_view full_name);
// Commands whose support is planned but not built yet.
std::string not_supported_yet(std::string_view full_name);
// An instance could not be used; `why` is short ("connection refused", "connection lost").
std::string shard_unavailable(size_t shard, std::string_view why);
std::string shard_timeout(size_t shard, unsigned timeout_ms);
// Every dedicated connection to that shard (blocking commands, WATCH) is in use.
std::string blocking_limit(size_t shard, unsigned limit);
// A command that cannot be part of a transaction bound to one shard (MULTI ... EXEC).
std::string not_in_transaction(std::string_view full_name);
// PROXY PAUSE/RESUME with a shard number outside 0..shards-1.
std::string shard_out_of_range(std::string_view arg, size_t shards);
// A reload refused; `why` is the first problem ("file:line: key: message").
std::string reload_refused(std::string_view why);
// Redis's refusal of a command in subscribed mode.
std::string not_when_subscribed(std::string_view full_name);
// A command split across shards failed on some of them: one error for the whole command.
// "ERR failed on shards 3, 17 (first error: ERR shard 3 is unavailable (connection refused))"
std::string split_failed(const std::vector<size_t>& shards, std::string_view first_error);

}  // namespace preshard::core::errors
