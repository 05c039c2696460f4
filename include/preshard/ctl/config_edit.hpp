#pragma once
#include <optional>
#include <string>
#include <vector>

#include "preshard/config/endpoint.hpp"

namespace preshard::ctl {

// The config text with entry `shard` of `instances` replaced by `master` and `replicas` (the
// plain host:port form when there are none, else {master: ..., replicas: [...]}), everything
// else (comments, layout, other entries) byte for byte as it was. The result is parsed again
// and checked; on any problem returns nullopt and says why.
std::optional<std::string> replace_entry(const std::string& yaml_text, size_t shard,
                                         const config::Endpoint& master,
                                         const std::vector<config::Endpoint>& replicas,
                                         std::string& why);

// Writes `text` to `path` atomically: a temporary file in the same directory, fsync, rename.
// Returns false and says why on failure (the file is then untouched).
bool write_atomically(const std::string& path, const std::string& text, std::string& why);

}  // namespace preshard::ctl
