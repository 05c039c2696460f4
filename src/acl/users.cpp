// The users snapshot: built from the configuration, checked as Redis loads an aclfile.
#include "preshard/acl/users.hpp"

#include <openssl/crypto.h>

#include <fstream>

namespace preshard::acl {

namespace {

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

User everything(std::string_view name) {
  User u = new_user(name);
  for (auto rule : {"on", "nopass", "~*", "&*", "+@all"}) apply_rule(u, rule);
  return u;
}

}  // namespace

std::string parse_user_line(std::string_view line, User& out) {
  auto words = split_words(line);
  if (words.size() < 2 || words[0] != "user") {
    return "should start with user keyword followed by the username";
  }
  out = new_user(words[1]);
  for (size_t i = 2; i < words.size(); ++i) {
    std::string why = apply_rule(out, words[i]);
    if (why.empty()) continue;
    // Only an unknown command or category is quoted: another rule may hold a password.
    if (why.rfind("Unknown command", 0) == 0) {
      return "Error in applying operation '" + std::string(words[i]) + "': " + why;
    }
    return why;
  }
  return "";
}

Users::Built Users::build(const UserSources& src) {
  Built b;
  auto users = std::make_shared<Users>();
  std::vector<std::pair<UserError, std::string>> lines;  // where, text
  auto fail = [&b](std::string message) { b.errors.push_back({-1, 0, std::move(message)}); };
  if (!src.aclfile.empty() && !src.users.empty()) {
    fail("users and aclfile are both set: use one of them (as Redis refuses both)");
    return b;
  }
  if (!src.aclfile.empty()) {
    std::ifstream in(src.aclfile);
    if (!in) {
      fail("aclfile " + src.aclfile + ": cannot be read");
      return b;
    }
    std::string text;
    for (int n = 1; std::getline(in, text); ++n) lines.push_back({{-1, n, ""}, text});
  }
  for (size_t i = 0; i < src.users.size(); ++i) {
    lines.push_back({{static_cast<int>(i), 0, ""}, src.users[i]});
  }
  for (auto& [where, text] : lines) {
    if (split_words(text).empty()) continue;  // blank lines, as in an aclfile
    User u;
    where.message = parse_user_line(text, u);
    if (where.message.empty() && users->users_.count(u.name) != 0) {
      where.message = "Duplicate user '" + u.name + "'";
    }
    if (!where.message.empty()) {
      b.errors.push_back(where);
    } else {
      users->users_.emplace(u.name, std::move(u));
    }
  }
  // A setting that is a user with every right and one password (requirepass: default;
  // admin_password: admin), unless a line defines that user too.
  auto password_user = [&](const char* name, const std::string& password, const char* setting) {
    if (password.empty()) return;
    if (users->users_.count(name) != 0) {
      return fail(std::string(setting) + " and a 'user " + name +
                  "' line are both set: use one of them");
    }
    User u = everything(name);
    apply_rule(u, "resetpass");
    apply_rule(u, ">" + password);
    users->users_.emplace(name, std::move(u));
  };
  password_user("default", src.requirepass, "requirepass");
  password_user("admin", src.admin_password, "admin_password");
  if (users->users_.count("default") == 0) {
    User d = everything("default");
    // With admin_password (deprecated), PROXY administration needs AUTH admin, as before.
    if (!src.admin_password.empty()) apply_rule(d, "-@proxyadmin");
    users->users_.emplace("default", std::move(d));
  }
  if (!b.errors.empty()) return b;
  const User& d = users->default_user();
  users->auth_required_ = !(d.enabled && d.nopass);
  b.users = std::move(users);
  return b;
}

std::shared_ptr<const Users> Users::open() {
  return build(UserSources{}).users;
}

std::shared_ptr<const Users> Users::closed() {
  auto users = std::make_shared<Users>();
  users->users_.emplace("default", new_user("default"));  // off, no password, no rights
  users->auth_required_ = true;
  return users;
}

const User* Users::find(std::string_view name) const {
  auto it = users_.find(name);
  return it == users_.end() ? nullptr : &it->second;
}

const User* Users::authenticate(std::string_view name, std::string_view password) const {
  const User* u = find(name);
  if (u == nullptr || !u->enabled) return nullptr;
  if (u->nopass) return u;
  std::string hash = password_hash(password);
  bool ok = false;
  // Every stored hash is compared, whole, whatever matched: the time says nothing.
  for (const auto& h : u->passwords) {
    ok |= h.size() == hash.size() && CRYPTO_memcmp(h.data(), hash.data(), hash.size()) == 0;
  }
  return ok ? u : nullptr;
}

}  // namespace preshard::acl
