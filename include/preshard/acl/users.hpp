#pragma once
// Every ACL user, built once from the configuration (requirepass, users, aclfile,
// admin_password) and shared read-only by the workers; a reload builds a new one.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "preshard/acl/user.hpp"

namespace preshard::acl {

// Where users come from, as the configuration gives them.
struct UserSources {
  std::string requirepass;         // the default user's password (Redis's requirepass)
  std::vector<std::string> users;  // aclfile lines, inline ("user alice on >pw ~* +@all")
  std::string aclfile;             // or a path to a file of such lines
  std::string admin_password;      // deprecated: a user "admin" with every right
};

// What is wrong, and where: a `users` entry, an aclfile line, or neither (a conflict).
struct UserError {
  int entry = -1;       // index into UserSources::users
  int line = 0;         // 1-based line of the aclfile
  std::string message;  // Redis's words; a password is never quoted
};

class Users {
 public:
  struct Built {
    std::shared_ptr<const Users> users;  // set only when errors is empty
    std::vector<UserError> errors;
  };
  static Built build(const UserSources& src);
  // The users Redis starts with: default, on, nopass, every key, channel and command.
  static std::shared_ptr<const Users> open();
  // Only a default user that is off: nobody gets in (when the configured users are unusable).
  static std::shared_ptr<const Users> closed();

  const User* find(std::string_view name) const;
  const User& default_user() const { return *find("default"); }
  // A new connection must AUTH first (the default user is off or has a password).
  bool auth_required() const { return auth_required_; }
  // The user named, if it is on and the password is one of its own (compared in constant time
  // over the SHA-256 hashes); null otherwise.
  const User* authenticate(std::string_view name, std::string_view password) const;
  const std::map<std::string, User, std::less<>>& all() const { return users_; }

 private:
  std::map<std::string, User, std::less<>> users_;
  bool auth_required_ = false;
};

// One aclfile line ("user NAME rule rule ..."): the user, or what is wrong with it.
std::string parse_user_line(std::string_view line, User& out);

}  // namespace preshard::acl
