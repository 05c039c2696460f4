#include "preshard/config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <type_traits>

#include "preshard/resp/string2ll.hpp"
#include "redis_section.hpp"

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

  void instances(const YAML::Node& node, Config& c) {
    if (!node.IsSequence()) {
      error(node, "instances", "expected a list of host:port");
      return;
    }
    if (node.size() == 0) {
      error(node, "instances", "the list is empty: at least one instance is needed");
      return;
    }
    std::map<std::string, std::pair<size_t, int>> seen;  // address -> (index, line)
    for (size_t i = 0; i < node.size(); ++i) {
      std::string key = "instances[" + std::to_string(i) + "]";
      Endpoint ep;
      size_t before = out_.errors.size();
      setting(node[i], key, ep, 0, 0, "");
      if (out_.errors.size() != before) continue;
      std::string addr = ep.to_string();
      auto [it, fresh] = seen.emplace(addr, std::make_pair(i, node[i].Mark().line + 1));
      if (!fresh) {
        error(node[i], key,
              "duplicate instance " + addr + " (already instances[" +
                  std::to_string(it->second.first) + "] on line " +
                  std::to_string(it->second.second) + ")");
        continue;
      }
      c.instances.push_back(ep);
    }
  }

 private:
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
