#include "preshard/config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <type_traits>

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

bool is_choice(std::string_view text, std::string_view choices) {
  while (!choices.empty()) {
    size_t sp = choices.find(' ');
    if (choices.substr(0, sp) == text) return true;
    if (sp == std::string_view::npos) break;
    choices.remove_prefix(sp + 1);
  }
  return false;
}

class Parser {
 public:
  Parser(const std::string& file, LoadResult& out) : file_(file), out_(out) {}

  void error(const YAML::Node& node, const std::string& key, const std::string& message) {
    int line = node.IsDefined() ? node.Mark().line + 1 : 0;
    out_.errors.push_back({file_, line, key, message});
  }

  // Scalars only: a map or list where a number or string belongs is an error.
  bool scalar(const YAML::Node& node, const std::string& key, std::string& out) {
    if (!node.IsScalar()) {
      error(node, key, "expected a single value");
      return false;
    }
    out = node.Scalar();
    return true;
  }

  // One overload per setting type; min/max bound integers, choices ("a b") bound strings.
  template <typename T>
  requires std::is_integral_v<T>
  void setting(const YAML::Node& node, const std::string& key, T& out, long long min, long long max,
               std::string_view) {
    std::string text;
    if (!scalar(node, key, text)) return;
    long long v = 0;
    if (!resp::string2ll(text, v)) {
      error(node, key, "expected an integer, got '" + text + "'");
    } else if (v < min || v > max) {
      error(node, key,
            "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                text);
    } else {
      out = static_cast<T>(v);
    }
  }

  void setting(const YAML::Node& node, const std::string& key, std::string& out, long long,
               long long, std::string_view choices) {
    std::string text;
    if (!scalar(node, key, text)) return;
    if (!choices.empty() && !is_choice(text, choices)) {
      error(node, key,
            "unsupported " + key + " '" + text + "' (one of: " + std::string(choices) + ")");
      return;
    }
    out = text;
  }

  void setting(const YAML::Node& node, const std::string& key, Endpoint& out, long long, long long,
               std::string_view) {
    std::string text, why;
    if (!scalar(node, key, text)) return;
    auto ep = parse_endpoint(text, why);
    if (ep) {
      out = *ep;
    } else {
      error(node, key, why);
    }
  }

  void setting(const YAML::Node& node, const std::string& key, EndpointList& out, long long,
               long long, std::string_view) {
    if (node.IsNull()) return;  // "sentinels:" with nothing after it: none
    if (!node.IsSequence()) {
      error(node, key, "expected a list of host:port");
      return;
    }
    for (size_t i = 0; i < node.size(); ++i) {
      Endpoint ep;
      size_t before = out_.errors.size();
      setting(node[i], key + "[" + std::to_string(i) + "]", ep, 0, 0, "");
      if (out_.errors.size() == before) out.push_back(ep);
    }
  }

  void setting(const YAML::Node& node, const std::string& key, StringList& out, long long,
               long long, std::string_view) {
    if (node.IsNull()) return;
    if (!node.IsSequence()) {
      error(node, key, "expected a list of strings");
      return;
    }
    for (size_t i = 0; i < node.size(); ++i) {
      std::string text;
      if (scalar(node[i], key + "[" + std::to_string(i) + "]", text)) out.push_back(text);
    }
  }

  void instances(const YAML::Node& node, Config& c) {
    if (!node.IsSequence()) {
      error(node, "instances", "expected a list of host:port");
      return;
    }
    if (node.size() == 0) {
      error(node, "instances", "the list is empty: at least one instance is needed");
      return;
    }
    for (size_t i = 0; i < node.size(); ++i) {
      std::string key = "instances[" + std::to_string(i) + "]";
      Endpoint master;
      EndpointList replicas;
      Credentials cred;
      size_t before = out_.errors.size();
      if (node[i].IsMap()) {
        entry(node[i], key, master, replicas, cred);
      } else {
        setting(node[i], key, master, 0, 0, "");
      }
      if (out_.errors.size() != before) continue;
      if (!unique(node[i], key, master, i)) continue;
      for (const Endpoint& r : replicas) unique(node[i], key + ".replicas", r, i);
      c.instances.push_back(master);
      c.replicas.push_back(std::move(replicas));
      c.credentials.push_back(std::move(cred));
    }
  }

 private:
  // {master: host:port, replicas: [host:port, ...], user: U, password: P | password_file: F}
  void entry(const YAML::Node& node, const std::string& key, Endpoint& master,
             EndpointList& replicas, Credentials& cred) {
    for (const auto& kv : node) {
      std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      if (k == "master") {
        setting(kv.second, key + ".master", master, 0, 0, "");
      } else if (k == "replicas") {
        setting(kv.second, key + ".replicas", replicas, 0, 0, "");
      } else if (k == "user" || k == "password" || k == "password_file") {
        std::string& out = k == "user"       ? cred.user
                           : k == "password" ? cred.password
                                             : cred.password_file;
        scalar(kv.second, key + "." + k, out);
      } else {
        error(kv.first, key + "." + k,
              "unknown key (an entry has master, replicas, user, password, password_file)");
      }
    }
    if (!node["master"])
      error(node, key,
            "missing master (the form is {master: host:port, replicas: [host:port, ...]})");
  }

  // Every address serves one shard in one role: a replica that is also a master elsewhere, or
  // an address listed twice, is refused.
  bool unique(const YAML::Node& node, const std::string& key, const Endpoint& ep, size_t index) {
    std::string addr = ep.to_string();
    auto [it, fresh] = seen_.emplace(addr, std::make_pair(index, node.Mark().line + 1));
    if (fresh) return true;
    error(node, key,
          "duplicate instance " + addr + " (already instances[" + std::to_string(it->second.first) +
              "] on line " + std::to_string(it->second.second) + ")");
    return false;
  }

  std::map<std::string, std::pair<size_t, int>> seen_;  // address -> (index, line)

  const std::string& file_;
  LoadResult& out_;
};

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
