#pragma once
// Whether a user may run a command, as Redis 7.0's ACLSelectorCheckCmd decides: its row (or
// the NO_AUTH flag), every key against the user's key patterns with the access the key needs,
// and the channels it publishes or subscribes to.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "preshard/acl/user.hpp"
#include "preshard/command/command_spec.hpp"
#include "preshard/resp/request.hpp"

namespace preshard::acl {

enum class Denied : uint8_t { kNone, kCommand, kKey, kChannel };

// Whether the command itself (row `row`) is allowed, keys and channels aside.
bool may_run(const User& u, const command::CommandSpec& spec, uint16_t row);

// What key argument `key_at` of `req` needs (read, write, both or neither): from Redis's key
// specs (command/key_access), with SET's and BITFIELD's arguments looked at as Redis does.
// `first`: it is the command's first key by position.
uint8_t key_needs(uint16_t row, const resp::Request& req, bool first);

// The whole check. `keys`: the argument indexes of the command's keys (find_keys), only read
// when the user is restricted to some keys. `at`, if given: the refused key's or channel's
// argument index (ACL DRYRUN names it).
Denied check(const User& u, const command::CommandSpec& spec, uint16_t row,
             const resp::Request& req, const std::vector<size_t>& keys, size_t* at = nullptr);

// ACL LIST's line for a user ("user alice on #<sha256> ~app:* resetchannels &app:* -@all
// +@read"), and GETUSER's parts. The command rules are the user's own, as given since the
// last +@all or -@all (Redis recomputes a shortest equivalent instead).
std::string describe(const User& u);
std::string describe_keys(const User& u);
std::string describe_channels(const User& u);
std::string describe_commands(const User& u);

// A channel (or, for PSUBSCRIBE, a pattern: then only the same pattern matches) allowed.
bool may_use_channel(const User& u, std::string_view channel, bool is_pattern);

}  // namespace preshard::acl
