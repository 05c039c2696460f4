#pragma once
// One ACL user and Redis's rule grammar for it (ACL SETUSER / aclfile), pure.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace preshard::acl {

enum Perm : uint8_t { kRead = 1, kWrite = 2, kReadWrite = 3 };

struct KeyPattern {
  std::string pattern;
  uint8_t perms = kReadWrite;  // ~: both; %R~: read; %W~: write
};

struct User {
  std::string name;
  bool enabled = false;
  bool nopass = false;
  std::vector<std::string> passwords;  // SHA-256 of each, lowercase hex (Redis keeps them so)
  std::vector<uint64_t> commands;      // allowed command-table rows, a bit per row id
  bool all_commands = false;           // +@all: every row, including ones added later
  bool all_keys = false;
  std::vector<KeyPattern> keys;
  bool all_channels = false;
  std::vector<std::string> channels;
  // The command rules since the last +@all/-@all (allcommands/nocommands), for ACL LIST.
  std::vector<std::string> command_rules;

  bool allows_row(uint16_t row) const {
    size_t w = row / 64;
    return w < commands.size() && ((commands[w] >> (row % 64)) & 1) != 0;
  }
};

// A user as Redis creates one: off, no password, no keys, no channels, no commands.
User new_user(std::string_view name);

// Applies one rule (on, off, >pass, <pass, #hash, !hash, nopass, resetpass, ~pat, %R~pat,
// %W~pat, %RW~pat, allkeys, resetkeys, &pat, allchannels, resetchannels, +cmd, -cmd,
// +cmd|sub, +@cat, -@cat, allcommands, nocommands, reset, [skip-]sanitize-payload). Returns ""
// or what is wrong, in Redis's words (ACLSetUserStringError) where Redis has them.
std::string apply_rule(User& u, std::string_view rule);

// SHA-256 of a password as lowercase hex.
std::string password_hash(std::string_view password);

}  // namespace preshard::acl
