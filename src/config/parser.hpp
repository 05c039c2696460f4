#pragma once
// The YAML reader of preshard.yaml: one overload per setting type, and the instances list
// (instances_section.cpp). Errors are collected, never thrown.
#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "preshard/config/config.hpp"
#include "preshard/resp/string2ll.hpp"

namespace preshard::config {

inline bool is_choice(std::string_view text, std::string_view choices) {
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

  // `min`: the lowest port (listen's 0: no plain port, TLS only).
  void setting(const YAML::Node& node, const std::string& key, Endpoint& out, long long min,
               long long, std::string_view) {
    std::string text, why;
    if (!scalar(node, key, text)) return;
    auto ep = parse_endpoint(text, why, static_cast<int>(min));
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
      setting(node[i], key + "[" + std::to_string(i) + "]", ep, 1, 0, "");
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

  // The instances list: entry i serves shard i (instances_section.cpp).
  void instances(const YAML::Node& node, Config& c);

 private:
  void entry(const YAML::Node& node, const std::string& key, Endpoint& master,
             EndpointList& replicas, Credentials& cred, EntryTls& tls);
  bool unique(const YAML::Node& node, const std::string& key, const Endpoint& ep, size_t index);

  std::map<std::string, std::pair<size_t, int>> seen_;  // address -> (index, line)

  const std::string& file_;
  LoadResult& out_;
};

}  // namespace preshard::config
