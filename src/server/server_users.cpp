// The users snapshot the workers check commands against, built from the configuration.
#include <spdlog/spdlog.h>

#include "preshard/config/user_sources.hpp"
#include "preshard/server/server.hpp"

namespace preshard::server {

std::shared_ptr<const acl::Users> Server::build_users() {
  acl::Users::Built built = acl::Users::build(config::user_sources(config_));
  if (built.users) return built.users;
  for (const auto& e : built.errors) spdlog::error("users: {}", e.message);
  // Fail closed: the users in force stay; with none yet, nobody gets in (default user off).
  spdlog::error("users: keeping the users in force (the aclfile changed since it was checked?)");
  return users_ ? users_ : acl::Users::closed();
}

}  // namespace preshard::server
