#pragma once
#include <optional>
#include <string>

namespace preshard::ctl {

// The config text with instance `shard` replaced by `address`, everything else (comments,
// layout, other entries) byte for byte as it was. The result is parsed again and checked; on
// any problem returns nullopt and says why.
std::optional<std::string> replace_instance(const std::string& yaml_text, size_t shard,
                                            const std::string& address, std::string& why);

// Writes `text` to `path` atomically: a temporary file in the same directory, fsync, rename.
// Returns false and says why on failure (the file is then untouched).
bool write_atomically(const std::string& path, const std::string& text, std::string& why);

}  // namespace preshard::ctl
