// Users described as Redis's ACL LIST and ACL GETUSER show them.
#include "preshard/acl/permission.hpp"

namespace preshard::acl {

namespace {

void join(std::string& out, std::string_view word) {
  if (!out.empty()) out += ' ';
  out += word;
}

}  // namespace

std::string describe_keys(const User& u) {
  if (u.all_keys) return "~*";
  std::string out;
  for (const KeyPattern& k : u.keys) {
    std::string_view prefix = k.perms == kReadWrite ? "~" : k.perms == kRead ? "%R~" : "%W~";
    join(out, std::string(prefix) + k.pattern);
  }
  return out;
}

std::string describe_channels(const User& u) {
  if (u.all_channels) return "&*";
  std::string out;
  for (const std::string& c : u.channels) join(out, "&" + c);
  return out;
}

std::string describe_commands(const User& u) {
  std::string out = u.all_commands ? "+@all" : "-@all";
  for (const std::string& r : u.command_rules) join(out, r);
  return out;
}

std::string describe(const User& u) {
  std::string out = "user " + u.name;
  join(out, u.enabled ? "on" : "off");
  if (u.nopass) join(out, "nopass");
  for (const std::string& h : u.passwords) join(out, "#" + h);
  join(out, describe_keys(u));
  if (!u.all_channels) join(out, "resetchannels");
  join(out, describe_channels(u));
  join(out, describe_commands(u));
  // Empty parts leave no double space.
  std::string tidy;
  for (char ch : out) {
    if (ch != ' ' || (!tidy.empty() && tidy.back() != ' ')) tidy += ch;
  }
  if (!tidy.empty() && tidy.back() == ' ') tidy.pop_back();
  return tidy;
}

}  // namespace preshard::acl
