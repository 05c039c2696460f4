#pragma once
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "preshard/config/config.hpp"

namespace preshard::config {

// Secrets that are not in the file: a password "${NAME}" is the environment variable NAME, and
// a *_file names a file whose first line is the password. Resolved in place; an unset variable
// or an unreadable file is an error at the key's line (never quoting a secret).
void resolve_secrets(Config& c, const YAML::Node& root, const std::string& file,
                     std::vector<ConfigError>& errors);

}  // namespace preshard::config
