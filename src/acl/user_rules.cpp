// Redis's ACL rule grammar (acl.c's ACLSetUser/ACLSetSelector), applied to a User.
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

#include "preshard/acl/user.hpp"
#include "preshard/command/command_table.hpp"

namespace preshard::acl {

namespace {

using command::CommandTable;

// ACLSetUserStringError's texts, by the errno Redis sets.
constexpr std::string_view kUnknown = "Unknown command or category name in ACL";
constexpr std::string_view kSyntax = "Syntax error";
constexpr std::string_view kAfterAllKeys =
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have "
    "any effect. Try 'resetkeys' to start with an empty list of patterns";
constexpr std::string_view kAfterAllChannels =
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not "
    "have any effect. Try 'resetchannels' to start with an empty list of channels";
constexpr std::string_view kNoSuchPassword =
    "The password you are trying to remove from the user does not exist";
constexpr std::string_view kBadHash =
    "The password hash must be exactly 64 characters and contain only lowercase hexadecimal "
    "characters";
constexpr std::string_view kSubcommandFirstArg =
    "Allowing first-arg of a subcommand is not supported";
// Redis accepts these; preshard does not (yet), and says so rather than ignore them.
constexpr std::string_view kFirstArg =
    "first-arg rules (+command|arg for a command without subcommands) are not supported by "
    "preshard";
constexpr std::string_view kSelectors = "selectors are not supported by preshard";

bool is(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool has_space(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

void set_row(User& u, uint16_t row, bool on) {
  size_t words = (CommandTable::get().row_count() + 63) / 64;
  if (u.commands.size() < words) u.commands.resize(words, 0);
  uint64_t bit = uint64_t{1} << (row % 64);
  if (on) {
    u.commands[row / 64] |= bit;
  } else {
    u.commands[row / 64] &= ~bit;
    u.all_commands = false;  // as Redis: taking one away ends "every command, future ones too"
  }
}

// A command and, for a container, all its subcommands (ACLChangeSelectorPerm).
void set_command(User& u, const command::CommandSpec& spec, bool on) {
  const CommandTable& t = CommandTable::get();
  set_row(u, t.id_of(spec.name), on);
  if (spec.op == command::Op::kContainer) {
    for (const auto* sub : t.subcommands(spec.name)) set_row(u, t.id_of(sub->name), on);
  }
}

uint32_t category_bit(std::string_view name) {
#define PRESHARD_ACL_NAME(bit, cat) \
  if (is(name, #cat)) return command::bit;
  PRESHARD_ACL_CATEGORIES(PRESHARD_ACL_NAME)
#undef PRESHARD_ACL_NAME
  return 0;
}

void set_all(User& u, bool on) {
  u.commands.assign((CommandTable::get().row_count() + 63) / 64, on ? ~uint64_t{0} : 0);
  u.all_commands = on;
  u.command_rules.clear();
}

std::string command_rule(User& u, std::string_view rule) {
  bool on = rule[0] == '+';
  std::string_view what = rule.substr(1);
  const CommandTable& t = CommandTable::get();
  if (!what.empty() && what[0] == '@') {
    uint32_t bit = category_bit(what.substr(1));
    if (bit == 0) return std::string(kUnknown);
    for (size_t id = 0; id < t.row_count(); ++id) {
      if (t.row(static_cast<uint16_t>(id)).in(static_cast<command::Acl>(bit))) {
        set_row(u, static_cast<uint16_t>(id), on);
      }
    }
  } else {
    size_t bar = what.rfind('|');
    if (bar != std::string_view::npos) {
      const command::CommandSpec* parent = t.find(what.substr(0, bar));
      if (parent == nullptr) return std::string(kUnknown);
      if (on && parent->name.find('|') != std::string_view::npos) {
        return std::string(kSubcommandFirstArg);
      }
      if (on && bar + 1 == what.size()) return std::string(kSyntax);
      if (on && parent->op != command::Op::kContainer) return std::string(kFirstArg);
    }
    const command::CommandSpec* spec = t.find(what);
    if (spec == nullptr) return std::string(kUnknown);
    set_command(u, *spec, on);
  }
  u.command_rules.emplace_back(rule);
  return "";
}

std::string key_rule(User& u, std::string_view rule) {
  if (u.all_keys) return std::string(kAfterAllKeys);
  uint8_t perms = kReadWrite;
  size_t at = 1;
  if (rule[0] == '%') {
    perms = 0;
    for (; at < rule.size(); ++at) {
      char c = static_cast<char>(std::toupper(static_cast<unsigned char>(rule[at])));
      if (c == 'R' && !(perms & kRead)) {
        perms |= kRead;
      } else if (c == 'W' && !(perms & kWrite)) {
        perms |= kWrite;
      } else if (rule[at] == '~') {
        ++at;
        break;
      } else {
        return std::string(kSyntax);
      }
    }
  }
  std::string_view pattern = rule.substr(std::min(at, rule.size()));
  if (has_space(pattern)) return std::string(kSyntax);
  auto same = std::find_if(u.keys.begin(), u.keys.end(),
                           [&](const KeyPattern& k) { return k.pattern == pattern; });
  if (same != u.keys.end()) {
    same->perms |= perms;  // the same pattern again widens it (as Redis)
  } else {
    u.keys.push_back({std::string(pattern), perms});
  }
  return "";
}

std::string password_rule(User& u, std::string_view rule) {
  bool add = rule[0] == '>' || rule[0] == '#';
  std::string hash;
  if (rule[0] == '>' || rule[0] == '<') {
    hash = password_hash(rule.substr(1));
  } else {
    hash = std::string(rule.substr(1));
    bool hex = hash.size() == 64 && std::all_of(hash.begin(), hash.end(), [](char c) {
                 return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
               });
    if (!hex) return std::string(kBadHash);
  }
  auto it = std::find(u.passwords.begin(), u.passwords.end(), hash);
  if (add) {
    if (it == u.passwords.end()) u.passwords.push_back(hash);
    u.nopass = false;
  } else {
    if (it == u.passwords.end()) return std::string(kNoSuchPassword);
    u.passwords.erase(it);
  }
  return "";
}

std::string channel_rule(User& u, std::string_view rule) {
  if (u.all_channels) return std::string(kAfterAllChannels);
  std::string_view pattern = rule.substr(1);
  if (has_space(pattern)) return std::string(kSyntax);
  if (std::find(u.channels.begin(), u.channels.end(), pattern) == u.channels.end()) {
    u.channels.emplace_back(pattern);
  }
  return "";
}

}  // namespace

User new_user(std::string_view name) {
  User u;
  u.name = name;
  set_all(u, false);
  return u;
}

std::string password_hash(std::string_view password) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(password.data(), password.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::string apply_rule(User& u, std::string_view rule) {
  if (rule.empty()) return std::string(kSyntax);
  if (is(rule, "on")) {
    u.enabled = true;
  } else if (is(rule, "off")) {
    u.enabled = false;
  } else if (is(rule, "skip-sanitize-payload") || is(rule, "sanitize-payload")) {
    // RESTORE's payload checks are the instances' business: accepted, nothing to do here.
  } else if (is(rule, "nopass")) {
    u.nopass = true;
    u.passwords.clear();
  } else if (is(rule, "resetpass")) {
    u.nopass = false;
    u.passwords.clear();
  } else if (rule[0] == '>' || rule[0] == '#' || rule[0] == '<' || rule[0] == '!') {
    return password_rule(u, rule);
  } else if (rule[0] == '(' || is(rule, "clearselectors")) {
    return std::string(kSelectors);
  } else if (is(rule, "reset")) {
    u = new_user(u.name);
  } else if (is(rule, "allkeys") || is(rule, "~*")) {
    u.all_keys = true;
    u.keys.clear();
  } else if (is(rule, "resetkeys")) {
    u.all_keys = false;
    u.keys.clear();
  } else if (is(rule, "allchannels") || is(rule, "&*")) {
    u.all_channels = true;
    u.channels.clear();
  } else if (is(rule, "resetchannels")) {
    u.all_channels = false;
    u.channels.clear();
  } else if (is(rule, "allcommands") || is(rule, "+@all")) {
    set_all(u, true);
  } else if (is(rule, "nocommands") || is(rule, "-@all")) {
    set_all(u, false);
  } else if (rule[0] == '~' || rule[0] == '%') {
    return key_rule(u, rule);
  } else if (rule[0] == '&') {
    return channel_rule(u, rule);
  } else if (rule[0] == '+' || rule[0] == '-') {
    return command_rule(u, rule);
  } else {
    return std::string(kSyntax);
  }
  return "";
}

}  // namespace preshard::acl
