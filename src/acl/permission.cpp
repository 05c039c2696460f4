// The ACL check the dispatcher runs before anything is sent (acl.c's ACLSelectorCheckCmd).
#include "preshard/acl/permission.hpp"

#include <algorithm>
#include <cctype>

#include "preshard/acl/glob.hpp"
#include "preshard/command/command_table.hpp"
#include "preshard/command/key_access.hpp"

namespace preshard::acl {

namespace {

using command::CommandTable;
using command::Op;

struct Access {
  uint8_t first = command::kKeyReadWrite;  // a row with keys and no data: the safe side
  uint8_t rest = command::kKeyReadWrite;
};

// Per row id, built once from the generated data.
const std::vector<Access>& access_table() {
  static const std::vector<Access> table = [] {
    const CommandTable& t = CommandTable::get();
    std::vector<Access> v(t.row_count());
    for (size_t i = 0; i < command::kKeyAccessRowCount; ++i) {
      const auto& r = command::kKeyAccessRows[i];
      uint16_t id = t.id_of(r.name);
      if (id != CommandTable::kNoRow) v[id] = {r.first, r.rest};
    }
    return v;
  }();
  return table;
}

bool arg_is(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == y;
         });
}

// Redis's setGetKeys: GET among the options reads the old value.
uint8_t set_needs(const resp::Request& req) {
  for (size_t i = 3; i < req.size(); ++i) {
    if (arg_is(req[i], "get")) return command::kKeyReadWrite;
  }
  return command::kKeyWrite;
}

// Redis's bitfieldGetKeys: only GET (and OVERFLOW) operations read and do not write.
uint8_t bitfield_needs(const resp::Request& req) {
  for (size_t i = 2; i < req.size(); ++i) {
    size_t left = req.size() - i - 1;
    if (arg_is(req[i], "get") && left >= 2) {
      i += 2;
    } else if ((arg_is(req[i], "set") || arg_is(req[i], "incrby")) && left >= 3) {
      return command::kKeyReadWrite;
    } else if (arg_is(req[i], "overflow") && left >= 1) {
      i += 1;
    } else {
      return command::kKeyReadWrite;  // a syntax error: assumed to write, as Redis does
    }
  }
  return command::kKeyRead;
}

bool may_access_key(const User& u, std::string_view key, uint8_t needs) {
  return std::any_of(u.keys.begin(), u.keys.end(), [&](const KeyPattern& p) {
    return (p.perms & needs) == needs && glob_match(p.pattern, key);
  });
}

// The channels of the row's argument list: PUBLISH's first; every one of (P|S)SUBSCRIBE.
Denied check_channels(const User& u, const command::CommandSpec& spec, const resp::Request& req,
                      size_t* at) {
  size_t last = req.size();
  switch (spec.op) {
    case Op::kPublish:
    case Op::kKeyed:  // SPUBLISH (the only keyed pub/sub row)
      last = 2;
      break;
    case Op::kSubscribe:
    case Op::kSsubscribe:
    case Op::kPsubscribe:
      break;
    default:
      return Denied::kNone;
  }
  bool patterns = spec.op == Op::kPsubscribe;
  for (size_t i = 1; i < last && i < req.size(); ++i) {
    if (!may_use_channel(u, req[i], patterns)) {
      if (at != nullptr) *at = i;
      return Denied::kChannel;
    }
  }
  return Denied::kNone;
}

}  // namespace

bool may_run(const User& u, const command::CommandSpec& spec, uint16_t row) {
  return u.all_commands || spec.has(command::kNoAuth) || u.allows_row(row);
}

uint8_t key_needs(uint16_t row, const resp::Request& req, bool first) {
  const CommandTable& t = CommandTable::get();
  static const uint16_t kSet = t.id_of("set");
  static const uint16_t kBitfield = t.id_of("bitfield");
  if (row == kSet) return set_needs(req);
  if (row == kBitfield) return bitfield_needs(req);
  const Access& a = access_table()[row];
  return first ? a.first : a.rest;
}

bool may_use_channel(const User& u, std::string_view channel, bool is_pattern) {
  if (u.all_channels) return true;
  return std::any_of(u.channels.begin(), u.channels.end(), [&](const std::string& p) {
    return is_pattern ? p == channel : glob_match(p, channel);
  });
}

Denied check(const User& u, const command::CommandSpec& spec, uint16_t row,
             const resp::Request& req, const std::vector<size_t>& keys, size_t* at) {
  if (!may_run(u, spec, row)) return Denied::kCommand;
  // Shard channels are routed like keys but checked as channels (Redis's NOT_KEY specs).
  if (spec.has(command::kPubSub)) return check_channels(u, spec, req, at);
  if (!u.all_keys && !keys.empty()) {
    size_t first = *std::min_element(keys.begin(), keys.end());
    for (size_t k : keys) {
      if (!may_access_key(u, req[k], key_needs(row, req, k == first))) {
        if (at != nullptr) *at = k;
        return Denied::kKey;
      }
    }
  }
  return Denied::kNone;
}

}  // namespace preshard::acl
