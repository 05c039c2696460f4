#include "preshard/config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>

#include "preshard/resp/string2ll.hpp"

namespace preshard::config {

std::string ConfigError::to_string() const {
  std::string s = file;
  if (line > 0) s += ":" + std::to_string(line);
  s += ": ";
  if (!key.empty()) s += key + ": ";
  return s + message;
}

namespace {

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

  template <typename T>
  void integer(const YAML::Node& node, const std::string& key, T& out, long long min,
               long long max) {
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

  void string(const YAML::Node& node, const std::string& key, std::string& out) {
    std::string text;
    if (scalar(node, key, text)) out = text;
  }

  void endpoint(const YAML::Node& node, const std::string& key, Endpoint& out) {
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
      endpoint(node[i], key, ep);
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

void validate(Parser& p, const YAML::Node& root, Config& c) {
  if (c.hash != "sha1") {
    p.error(root["hash"], "hash", "unsupported hash '" + c.hash + "' (supported: sha1)");
  }
  if (!c.hash_tag.empty() && c.hash_tag.size() != 2) {
    p.error(root["hash_tag"], "hash_tag",
            "expected two characters (open and close, like \"{}\") or \"\" for none");
  }
  static const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  bool level_ok = false;
  for (const char* l : kLevels) level_ok = level_ok || c.log_level == l;
  if (!level_ok) {
    p.error(root["log_level"], "log_level",
            "unknown level '" + c.log_level + "' (trace, debug, info, warn, error, critical, off)");
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
  constexpr long long kU32 = std::numeric_limits<uint32_t>::max();
  constexpr long long kBig = 1ll << 40;
  // Every key the file may hold: its parser. Anything else is an error, never ignored.
  std::map<std::string, std::function<void(const YAML::Node&)>> keys = {
      {"listen", [&](const YAML::Node& n) { p.endpoint(n, "listen", c.listen); }},
      {"threads", [&](const YAML::Node& n) { p.integer(n, "threads", c.threads, 0, 256); }},
      {"hash", [&](const YAML::Node& n) { p.string(n, "hash", c.hash); }},
      {"hash_tag", [&](const YAML::Node& n) { p.string(n, "hash_tag", c.hash_tag); }},
      {"timeout_ms",
       [&](const YAML::Node& n) { p.integer(n, "timeout_ms", c.timeout_ms, 1, kU32); }},
      {"connect_timeout_ms",
       [&](const YAML::Node& n) {
         p.integer(n, "connect_timeout_ms", c.connect_timeout_ms, 1, kU32);
       }},
      {"retry_min_ms",
       [&](const YAML::Node& n) { p.integer(n, "retry_min_ms", c.retry_min_ms, 0, kU32); }},
      {"retry_max_ms",
       [&](const YAML::Node& n) { p.integer(n, "retry_max_ms", c.retry_max_ms, 0, kU32); }},
      {"log_level", [&](const YAML::Node& n) { p.string(n, "log_level", c.log_level); }},
      {"max_clients",
       [&](const YAML::Node& n) { p.integer(n, "max_clients", c.max_clients, 1, 1000000); }},
      {"max_bulk_len",
       [&](const YAML::Node& n) { p.integer(n, "max_bulk_len", c.max_bulk_len, 1, kBig); }},
      {"max_request_bytes",
       [&](const YAML::Node& n) {
         p.integer(n, "max_request_bytes", c.max_request_bytes, 1024, kBig);
       }},
      {"client_max_pending",
       [&](const YAML::Node& n) {
         p.integer(n, "client_max_pending", c.client_max_pending, 1, 10000000);
       }},
      {"client_max_output_bytes",
       [&](const YAML::Node& n) {
         p.integer(n, "client_max_output_bytes", c.client_max_output_bytes, 1024, kBig);
       }},
      {"shutdown_timeout_ms",
       [&](const YAML::Node& n) {
         p.integer(n, "shutdown_timeout_ms", c.shutdown_timeout_ms, 0, kU32);
       }},
      {"blocking_connections_per_shard",
       [&](const YAML::Node& n) {
         p.integer(n, "blocking_connections_per_shard", c.blocking_connections_per_shard, 1,
                   100000);
       }},
      {"admin_password",
       [&](const YAML::Node& n) { p.string(n, "admin_password", c.admin_password); }},
      {"pause_timeout_ms",
       [&](const YAML::Node& n) { p.integer(n, "pause_timeout_ms", c.pause_timeout_ms, 1, kU32); }},
      {"batch_yields",
       [&](const YAML::Node& n) { p.integer(n, "batch_yields", c.batch_yields, 0, 64); }},
      {"gather_max_us",
       [&](const YAML::Node& n) { p.integer(n, "gather_max_us", c.gather_max_us, 0, 10000); }},
      {"gather_gap_us",
       [&](const YAML::Node& n) { p.integer(n, "gather_gap_us", c.gather_gap_us, 1, 10000); }},
      {"instances", [&](const YAML::Node& n) { p.instances(n, c); }},
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
