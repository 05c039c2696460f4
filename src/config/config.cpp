#include "preshard/config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <type_traits>

#include "parser.hpp"
#include "preshard/config/sentinel_name.hpp"
#include "preshard/resp/string2ll.hpp"
#include "redis_section.hpp"
#include "secrets.hpp"
#include "users_check.hpp"

namespace preshard::config {

std::string ConfigError::to_string() const {
  std::string s = file;
  if (line > 0) s += ":" + std::to_string(line);
  s += ": ";
  if (!key.empty()) s += key + ": ";
  return s + message;
}

namespace {

// Rules across settings, or finer than a setting's bounds.
void validate(Parser& p, const YAML::Node& root, Config& c) {
  if (!c.hash_tag.empty() && c.hash_tag.size() != 2) {
    p.error(root["hash_tag"], "hash_tag",
            "expected two characters (open and close, like \"{}\") or \"\" for none");
  }
  if (!c.admin_listen.empty()) {
    std::string why;
    if (!parse_endpoint(c.admin_listen, why)) p.error(root["admin_listen"], "admin_listen", why);
  }
  if (c.retry_min_ms > c.retry_max_ms) {
    p.error(root["retry_min_ms"], "retry_min_ms", "must not exceed retry_max_ms");
  }
  if (c.listen.port == 0 && c.tls_port == 0) {
    p.error(root["listen"], "listen", "port 0 (no plain port) needs a tls_port");
  }
  for (size_t i = 0; i < c.entry_tls.size(); ++i) {
    if (!c.entry_tls[i].server_name.empty() && !c.backend_tls(i)) {
      p.error(root["instances"][i], "instances[" + std::to_string(i) + "].tls_server_name",
              "set, but the entry does not use TLS (tls: yes, or tls_backends: yes)");
    }
  }
  std::string why = sentinel_name_problem(c.sentinel_name, c.instances.size());
  if (!why.empty()) p.error(root["sentinel_name"], "sentinel_name", why);
  for (size_t i = 0; i < c.sentinels.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (c.sentinels[i] == c.sentinels[j]) {
        p.error(root["sentinels"], "sentinels", "duplicate Sentinel " + c.sentinels[i].to_string());
      }
    }
  }
}

}  // namespace

bool Config::backend_tls(size_t shard) const {
  if (shard < entry_tls.size() && entry_tls[shard].on) return *entry_tls[shard].on;
  return tls_backends == "yes";
}

bool Config::any_backend_tls() const {
  for (size_t i = 0; i < instances.size(); ++i) {
    if (backend_tls(i)) return true;
  }
  return false;
}

LoadResult parse_config(const std::string& yaml_text, const std::string& file_name) {
  LoadResult result;
  Parser p(file_name, result);
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    result.errors.push_back({file_name, e.mark.line + 1, "", "YAML syntax error: " + e.msg});
    return result;
  }
  if (!root.IsMap()) {
    result.errors.push_back({file_name,
                             root.IsDefined() && !root.IsNull() ? root.Mark().line + 1 : 0, "",
                             "expected a map of settings (listen, instances, ...)"});
    return result;
  }
  Config c;
  c.source = file_name;
  // Every key the file may hold: its parser. Anything else is an error, never ignored.
  std::map<std::string, std::function<void(const YAML::Node&)>> keys;
#define PRESHARD_SETTING_PARSER(type, name, def, min, max, reload, choices, help) \
  keys[#name] = [&](const YAML::Node& n) { p.setting(n, #name, c.name, min, max, choices); };
  PRESHARD_SETTINGS(PRESHARD_SETTING_PARSER)
#undef PRESHARD_SETTING_PARSER
  keys["instances"] = [&](const YAML::Node& n) { p.instances(n, c); };
  keys["redis"] = [&](const YAML::Node& n) {
    parse_redis_section(n, file_name, c.redis, result.errors);
  };
  std::map<std::string, int> seen;
  for (const auto& kv : root) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    auto [prev, fresh] = seen.emplace(key, kv.first.Mark().line + 1);
    if (!fresh) {
      p.error(kv.first, key,
              "duplicate key (first set on line " + std::to_string(prev->second) + ")");
      continue;
    }
    auto it = keys.find(key);
    if (it == keys.end()) {
      p.error(kv.first, key, "unknown key");
      continue;
    }
    it->second(kv.second);
  }
  if (!root["instances"]) {
    result.errors.push_back({file_name, 0, "instances", "missing: the list of shard instances"});
  }
  validate(p, root, c);
  if (result.errors.empty()) resolve_secrets(c, root, file_name, result.errors);
  if (result.errors.empty()) check_users(c, root, file_name, result.errors);
  if (result.errors.empty()) result.config = std::move(c);
  return result;
}

LoadResult load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(path, ec)) {
    LoadResult r;
    r.errors.push_back({path, 0, "", "cannot read the file"});
    return r;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_config(ss.str(), path);
}

}  // namespace preshard::config
