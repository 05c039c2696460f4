#include "preshard/core/errors.hpp"

#include <algorithm>
#include <cctype>

namespace preshard::core::errors {

namespace {

// Redis formats these with "%.128s": at most 128 bytes, and a NUL byte ends the text.
std::string_view clip(std::string_view s, size_t max) {
  s = s.substr(0, std::min(max, s.size()));
  size_t nul = s.find('\0');
  return nul == std::string_view::npos ? s : s.substr(0, nul);
}

// An error reply must be one line: like Redis, trim trailing CR/LF, then map the rest to spaces.
std::string one_line(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.pop_back();
  std::replace(s.begin(), s.end(), '\r', ' ');
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

}  // namespace

Error unknown_command(const resp::Request& req) {
  std::string args;
  for (size_t i = 1; i < req.size() && args.size() < 128; ++i) {
    size_t room = 128 - args.size();
    args += '\'';
    args += clip(req[i], room);
    args += "' ";
  }
  return {Kind::kUnknownCommand, one_line("ERR unknown command '" + std::string(clip(req[0], 128)) +
                                          "', with args beginning with: " + args)};
}

Error unknown_subcommand(const resp::Request& req) {
  std::string container(req[0]);
  for (char& c : container) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return {Kind::kUnknownCommand,
          one_line("ERR unknown subcommand '" + std::string(clip(req[1], 128)) + "'. Try " +
                   container + " HELP.")};
}

Error wrong_arity(std::string_view full_name) {
  return {Kind::kWrongArity,
          "ERR wrong number of arguments for '" + std::string(full_name) + "' command"};
}

Error script_refused(std::string_view called) {
  return {Kind::kRefused,
          "ERR the script calls '" + std::string(called) +
              "', which preshard refuses: the instances are shared by every client of the proxy"};
}

Error no_perm_command(std::string_view full_name) {
  return {Kind::kNoPerm, "NOPERM this user has no permissions to run the '" +
                             std::string(full_name) + "' command"};
}

Error refused(std::string_view full_name) {
  return {
      Kind::kRefused,
      "ERR command '" + std::string(full_name) +
          "' is refused by preshard: it administers a single instance or changes the state of a "
          "shared connection; run it on the instances directly"};
}

Error not_supported_yet(std::string_view full_name) {
  return {Kind::kUnsupported,
          "ERR command '" + std::string(full_name) + "' is not supported by preshard yet"};
}

Error shard_unavailable(size_t shard, std::string_view why) {
  return {Kind::kShardUnavailable,
          "ERR shard " + std::to_string(shard) + " is unavailable (" + std::string(why) + ")"};
}

Error shard_not_master(size_t shard, std::string_view address, std::string_view role) {
  return {Kind::kShardUnavailable,
          one_line("READONLY shard " + std::to_string(shard) + "'s instance " +
                   std::string(address) + " is a " + std::string(clip(role, 32)) +
                   ", not a master: nothing is sent to it until the map names the shard's "
                   "master")};
}

Error shard_overloaded(size_t shard, uint64_t limit) {
  return {Kind::kLimit, "ERR shard " + std::to_string(shard) +
                            " is overloaded: " + std::to_string(limit) +
                            " bytes already queued for it (shard_max_queue_bytes)"};
}

Error shard_timeout(size_t shard, unsigned timeout_ms) {
  return {Kind::kShardTimeout, "ERR shard " + std::to_string(shard) + " did not answer within " +
                                   std::to_string(timeout_ms) + " ms"};
}

Error blocking_limit(size_t shard, unsigned limit) {
  return {Kind::kLimit, "ERR too many blocking commands or WATCHing clients on shard " +
                            std::to_string(shard) + " (" + std::to_string(limit) +
                            ", blocking_connections_per_shard)"};
}

Error not_in_transaction(std::string_view full_name) {
  return {Kind::kTransaction,
          "ERR command '" + std::string(full_name) +
              "' cannot be queued in a transaction: preshard runs a transaction on one shard"};
}

Error shard_out_of_range(std::string_view arg, size_t shards) {
  return {Kind::kProxy, "ERR invalid shard '" + std::string(clip(arg, 128)) +
                            "' (shards are 0 to " + std::to_string(shards - 1) + ")"};
}

Error reload_refused(std::string_view why) {
  return {Kind::kProxy,
          one_line("ERR reload refused, the running configuration stays: " + std::string(why))};
}

Error not_when_subscribed(std::string_view full_name) {
  return {Kind::kSubscribed,
          "ERR Can't execute '" + std::string(full_name) +
              "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this "
              "context"};
}

Error split_failed(const std::vector<size_t>& shards, std::string_view first_error) {
  std::string list;
  for (size_t s : shards) list += (list.empty() ? "" : ", ") + std::to_string(s);
  // The instance's own code ("ERR", "OOM", ...) is kept inside the text.
  return {Kind::kShardReply,
          one_line("ERR failed on shard" + std::string(shards.size() > 1 ? "s " : " ") + list +
                   " (first error: " + std::string(first_error) + ")")};
}

std::string_view kind_name(Kind k) {
  static constexpr std::string_view kNames[] = {
#define PRESHARD_ERROR_NAME(k, name) #name,
      PRESHARD_ERROR_KINDS(PRESHARD_ERROR_NAME)
#undef PRESHARD_ERROR_NAME
  };
  return kNames[static_cast<size_t>(k)];
}

Error protocol(std::string_view why) {
  return {Kind::kProtocol, one_line("ERR " + std::string(why))};
}

Error sort_pattern_refused(std::string_view option) {
  return {Kind::kCrossShard,
          "ERR " + std::string(option) +
              " option of SORT denied by preshard when keys formed by the pattern may be on "
              "other shards (put the sort key's hash tag in the pattern, before any '*')"};
}

Error unknown_client_type(std::string_view type) {
  return {Kind::kValue, one_line("ERR Unknown client type '" + std::string(clip(type, 128)) + "'")};
}

Error no_such_user(std::string_view user) {
  return {Kind::kValue, one_line("ERR No such user '" + std::string(clip(user, 128)) + "'")};
}

Error hello_option(std::string_view option) {
  return {Kind::kSyntax,
          one_line("ERR Syntax error in HELLO option '" + std::string(clip(option, 128)) + "'")};
}

const Error kPauseTimeout{Kind::kProxy,
                          "ERR TIMEOUT must be a number of milliseconds from 1 to 3600000"};

Error subscription_refused(size_t shard) {
  return {Kind::kShardReply, "ERR shard " + std::to_string(shard) + " refused a subscription"};
}

Error shard_moved(size_t shard) {
  return {Kind::kShardUnavailable,
          "ERR shard " + std::to_string(shard) + " moved to another instance"};
}

Error queue_check_refused(size_t shard, std::string_view multi_reply) {
  std::string why(multi_reply.substr(0, multi_reply.find('\r')));
  if (!why.empty() && (why[0] == '-' || why[0] == '+')) why.erase(0, 1);
  return {Kind::kShardReply, "ERR shard " + std::to_string(shard) + " refused MULTI (" + why +
                                 "): the command was checked outside a transaction"};
}

const Error kMalformedReply{Kind::kShardReply, "ERR malformed reply from instance"};
const Error kUnexpectedReply{Kind::kShardReply, "ERR unexpected reply from instance"};
const Error kUnexpectedKeyspaceReply{Kind::kShardReply,
                                     "ERR unexpected INFO keyspace reply from instance"};
const Error kDifferentReplies{Kind::kShardReply, "ERR shards gave different replies"};
const Error kCannotMerge{Kind::kShardReply, "ERR this command cannot be merged"};

Error unexpected_scan_reply(size_t shard) {
  return {Kind::kShardReply, "ERR unexpected SCAN reply from shard " + std::to_string(shard)};
}

Error scan_cursor_too_large(size_t shard) {
  return {Kind::kShardReply, "ERR SCAN cursor of shard " + std::to_string(shard) +
                                 " is too large to combine with the shard number"};
}

const Error kInvalidCommandSpecified{Kind::kValue, "ERR Invalid command specified"};
const Error kNoKeyArguments{Kind::kValue, "ERR The command has no key arguments"};
const Error kInvalidArgumentCount{Kind::kWrongArity,
                                  "ERR Invalid number of arguments specified for command"};
const Error kInvalidArguments{Kind::kValue, "ERR Invalid arguments specified for command"};

Error command_unknown_subcommand(std::string_view sub) {
  return {Kind::kUnknownCommand, one_line("ERR unknown subcommand '" + std::string(clip(sub, 128)) +
                                          "'. Try COMMAND HELP.")};
}

Error exec_acl_changed(std::string_view reason) {
  return {Kind::kNoPerm,
          "NOPERM ACLs rules changed between the moment the transaction was accumulated and the "
          "EXEC call. This command is no longer allowed for the following reason: " +
              std::string(reason)};
}

Error exec_refused(const Error& why) {
  std::string_view text = why.text;
  if (text.rfind("ERR ", 0) == 0) text.remove_prefix(4);
  return {Kind::kTransaction, "EXECABORT Transaction discarded because of: " + std::string(text)};
}

}  // namespace preshard::core::errors
