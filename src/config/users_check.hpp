#pragma once
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "preshard/config/user_sources.hpp"

namespace preshard::config {

// Users, passwords and protected mode checked as the proxy will apply them.
void check_users(const Config& c, const YAML::Node& root, const std::string& file,
                 std::vector<ConfigError>& errors);

}  // namespace preshard::config
