// The users settings checked as the proxy will build them (acl::Users), with each error at the
// line it comes from; and Redis's protected mode.
#include "users_check.hpp"

#include "preshard/acl/users.hpp"

namespace preshard::config {

acl::UserSources user_sources(const Config& c) {
  return {c.requirepass, c.users, c.aclfile, c.admin_password};
}

namespace {

bool loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "::1" || host == "localhost" || host.rfind("127.", 0) == 0;
}

int line_of(const YAML::Node& node) {
  return node.IsDefined() ? node.Mark().line + 1 : 0;
}

}  // namespace

void check_users(const Config& c, const YAML::Node& root, const std::string& file,
                 std::vector<ConfigError>& errors) {
  acl::Users::Built built = acl::Users::build(user_sources(c));
  for (const auto& e : built.errors) {
    if (e.entry >= 0) {
      errors.push_back(
          {file, line_of(root["users"][static_cast<size_t>(e.entry)]), "users", e.message});
    } else if (e.line > 0) {
      errors.push_back({c.aclfile, e.line, "aclfile", e.message});
    } else {
      errors.push_back(
          {file, line_of(root[c.aclfile.empty() ? "users" : "aclfile"]), "users", e.message});
    }
  }
  if (!built.users || c.protected_mode != "yes" || loopback(c.listen.host)) return;
  if (!built.users->auth_required()) {
    errors.push_back(
        {file, line_of(root["listen"]), "listen",
         "protected mode: listening on " + c.listen.to_string() +
             " (beyond loopback) while the default user needs no password; set requirepass or "
             "users (a default user with a password, or off), or protected_mode: no"});
  }
}

}  // namespace preshard::config
