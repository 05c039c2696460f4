#include "redis_section.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <map>

namespace preshard::config {

std::vector<std::pair<std::string, std::string>> RedisSection::defaults() {
  return {{"appendonly", "yes"},
          {"appendfsync", "everysec"},
          {"save", "\"\""},
          {"maxmemory-policy", "noeviction"},
          {"repl-diskless-sync-delay", "0"},
          {"busy-reply-threshold", "500"}};
}

std::string RedisSection::get(std::string_view key) const {
  std::string v;
  for (const auto& [k, value] : directives) {
    if (k == key) v = value;
  }
  return v;
}

std::string RedisSection::password() const {
  std::string p = get("requirepass");
  return p == "\"\"" ? "" : p;
}

bool RedisSection::persistent() const {
  std::string save = get("save");
  return get("appendonly") == "yes" || !(save.empty() || save == "\"\"" || save == "''");
}

bool reserved_redis_directive(std::string_view key) {
  static constexpr std::array<std::string_view, 10> kOwned = {
      "port",    "bind",      "pidfile", "logfile",    "daemonize",
      "include", "replicaof", "slaveof", "supervised", "unixsocket"};
  return std::find(kOwned.begin(), kOwned.end(), key) != kOwned.end();
}

namespace {

bool directive_name(const std::string& k) {
  if (k.empty() || k[0] < 'a' || k[0] > 'z') return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// A value as it goes after the directive in redis.conf; "" becomes "\"\"" (an empty argument).
bool conf_value(const YAML::Node& n, std::string& out, std::string& why) {
  if (!n.IsScalar()) {
    why = "expected a value or a list of values";
    return false;
  }
  out = n.Scalar();
  if (std::any_of(out.begin(), out.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    why = "a value may not hold a newline or a control character";
    return false;
  }
  if (out.empty()) out = "\"\"";
  if (out == "true" || out == "false") out = out == "true" ? "yes" : "no";  // YAML booleans
  return true;
}

}  // namespace

void parse_redis_section(const YAML::Node& node, const std::string& file, RedisSection& out,
                         std::vector<ConfigError>& errors) {
  auto error = [&](const YAML::Node& at, const std::string& key, const std::string& message) {
    errors.push_back({file, at.IsDefined() ? at.Mark().line + 1 : 0, key, message});
  };
  if (node.IsNull()) return;  // `redis:` with nothing under it: the defaults
  if (!node.IsMap()) {
    error(node, "redis", "expected a map of redis.conf directives (appendonly: \"yes\", ...)");
    return;
  }
  std::map<std::string, int> seen;
  std::vector<std::pair<std::string, std::string>> given;
  for (const auto& kv : node) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    std::string where = "redis." + key;
    auto [prev, fresh] = seen.emplace(key, kv.first.Mark().line + 1);
    if (!fresh) {
      error(kv.first, where,
            "duplicate key (first set on line " + std::to_string(prev->second) + ")");
      continue;
    }
    std::string why, value;
    if (key == "dir") {
      if (!kv.second.IsScalar() || kv.second.Scalar().empty()) {
        error(kv.second, where, "expected a directory (the data root of the instances)");
      } else {
        out.dir = kv.second.Scalar();
      }
      continue;
    }
    if (!directive_name(key)) {
      error(kv.first, where, "not a redis.conf directive name (lower case, digits and -)");
      continue;
    }
    if (reserved_redis_directive(key)) {
      error(kv.first, where, "set by preshardctl for each instance; it may not be given here");
      continue;
    }
    if (kv.second.IsSequence()) {
      if (kv.second.size() == 0) error(kv.second, where, "an empty list");
      for (const auto& item : kv.second) {
        if (!conf_value(item, value, why)) {
          error(item, where, why);
        } else {
          given.emplace_back(key, value);
        }
      }
    } else if (!conf_value(kv.second, value, why)) {
      error(kv.second, where, why);
    } else {
      given.emplace_back(key, value);
    }
  }
  // A key of the file replaces that key's default; the file's own order follows the defaults.
  std::erase_if(out.directives, [&](const auto& d) { return seen.count(d.first) > 0; });
  out.directives.insert(out.directives.end(), given.begin(), given.end());
}

}  // namespace preshard::config
