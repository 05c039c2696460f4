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

std::string unknown_command(const resp::Request& req) {
  std::string args;
  for (size_t i = 1; i < req.size() && args.size() < 128; ++i) {
    size_t room = 128 - args.size();
    args += '\'';
    args += clip(req[i], room);
    args += "' ";
  }
  return one_line("ERR unknown command '" + std::string(clip(req[0], 128)) +
                  "', with args beginning with: " + args);
}

std::string unknown_subcommand(const resp::Request& req) {
  std::string container(req[0]);
  for (char& c : container) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return one_line("ERR unknown subcommand '" + std::string(clip(req[1], 128)) + "'. Try " +
                  container + " HELP.");
}

std::string wrong_arity(std::string_view full_name) {
  return "ERR wrong number of arguments for '" + std::string(full_name) + "' command";
}

std::string refused(std::string_view full_name) {
  return "ERR command '" + std::string(full_name) +
         "' is refused by preshard: it administers a single instance or changes the state of a "
         "shared connection; run it on the instances directly";
}

std::string not_supported_yet(std::string_view full_name) {
  return "ERR command '" + std::string(full_name) + "' is not supported by preshard yet";
}

std::string shard_unavailable(size_t shard, std::string_view why) {
  return "ERR shard " + std::to_string(shard) + " is unavailable (" + std::string(why) + ")";
}

std::string shard_timeout(size_t shard, unsigned timeout_ms) {
  return "ERR shard " + std::to_string(shard) + " did not answer within " +
         std::to_string(timeout_ms) + " ms";
}

std::string blocking_limit(size_t shard, unsigned limit) {
  return "ERR too many blocking commands or WATCHing clients on shard " + std::to_string(shard) +
         " (" + std::to_string(limit) + ", blocking_connections_per_shard)";
}

std::string not_in_transaction(std::string_view full_name) {
  return "ERR command '" + std::string(full_name) +
         "' cannot be queued in a transaction: preshard runs a transaction on one shard";
}

std::string shard_out_of_range(std::string_view arg, size_t shards) {
  return "ERR invalid shard '" + std::string(clip(arg, 128)) + "' (shards are 0 to " +
         std::to_string(shards - 1) + ")";
}

std::string reload_refused(std::string_view why) {
  return one_line("ERR reload refused, the running configuration stays: " + std::string(why));
}

std::string not_when_subscribed(std::string_view full_name) {
  return "ERR Can't execute '" + std::string(full_name) +
         "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this "
         "context";
}

std::string split_failed(const std::vector<size_t>& shards, std::string_view first_error) {
  std::string list;
  for (size_t s : shards) list += (list.empty() ? "" : ", ") + std::to_string(s);
  // The instance's own code ("ERR", "OOM", ...) is kept inside the text.
  return one_line("ERR failed on shard" + std::string(shards.size() > 1 ? "s " : " ") + list +
                  " (first error: " + std::string(first_error) + ")");
}

}  // namespace preshard::core::errors
