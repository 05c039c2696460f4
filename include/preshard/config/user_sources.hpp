#pragma once
#include "preshard/acl/users.hpp"
#include "preshard/config/config.hpp"

namespace preshard::config {

// The users settings (requirepass, users, aclfile, admin_password) as acl::Users::build takes
// them.
acl::UserSources user_sources(const Config& c);

}  // namespace preshard::config
