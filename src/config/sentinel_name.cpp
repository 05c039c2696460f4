#include "preshard/config/sentinel_name.hpp"

#include <algorithm>

namespace preshard::config {

namespace {
constexpr std::string_view kShard = "{shard}";

size_t width(size_t shards) {
  return std::to_string(shards > 0 ? shards - 1 : 0).size();
}
}  // namespace

std::string sentinel_name(std::string_view pattern, size_t shard, size_t shards) {
  std::string number = std::to_string(shard);
  number.insert(0, width(shards) - std::min(width(shards), number.size()), '0');
  std::string out(pattern);
  size_t at = out.find(kShard);
  if (at != std::string::npos) out.replace(at, kShard.size(), number);
  return out;
}

std::optional<size_t> shard_of_sentinel_name(std::string_view pattern, std::string_view name,
                                             size_t shards) {
  size_t at = pattern.find(kShard);
  if (at == std::string_view::npos) {
    return name == pattern && shards == 1 ? std::optional<size_t>(0) : std::nullopt;
  }
  std::string_view head = pattern.substr(0, at), tail = pattern.substr(at + kShard.size());
  if (name.size() != head.size() + width(shards) + tail.size() || !name.starts_with(head) ||
      !name.ends_with(tail)) {
    return std::nullopt;
  }
  size_t shard = 0;
  for (char c : name.substr(head.size(), width(shards))) {
    if (c < '0' || c > '9') return std::nullopt;
    shard = shard * 10 + static_cast<size_t>(c - '0');
  }
  if (shard >= shards) return std::nullopt;
  return shard;
}

std::string sentinel_name_problem(std::string_view pattern, size_t shards) {
  if (pattern.empty()) return "must not be empty";
  if (std::any_of(pattern.begin(), pattern.end(),
                  [](char c) { return c <= ' ' || c == '"' || c == '\'' || c == 127; })) {
    return "must not contain spaces, quotes or control characters (Sentinel's names are words)";
  }
  size_t at = pattern.find(kShard);
  if (shards > 1 && at == std::string_view::npos) {
    return "must contain {shard}, so that every shard has a name of its own";
  }
  if (at != std::string_view::npos && pattern.find(kShard, at + 1) != std::string_view::npos) {
    return "must contain {shard} once";
  }
  return "";
}

}  // namespace preshard::config
