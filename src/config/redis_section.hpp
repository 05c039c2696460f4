#pragma once
// Parsing of the `redis:` section (config.cpp hands the node over).
#include <string>
#include <vector>

#include "preshard/config/config.hpp"

namespace YAML {
class Node;
}

namespace preshard::config {

void parse_redis_section(const YAML::Node& node, const std::string& file, RedisSection& out,
                         std::vector<ConfigError>& errors);

}  // namespace preshard::config
