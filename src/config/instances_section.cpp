// The instances list of preshard.yaml: host:port entries or {master, replicas, credentials,
// tls} maps, each address once.
#include "parser.hpp"

namespace preshard::config {

void Parser::instances(const YAML::Node& node, Config& c) {
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
    EntryTls tls;
    size_t before = out_.errors.size();
    if (node[i].IsMap()) {
      entry(node[i], key, master, replicas, cred, tls);
    } else {
      setting(node[i], key, master, 1, 0, "");
    }
    if (out_.errors.size() != before) continue;
    if (!unique(node[i], key, master, i)) continue;
    for (const Endpoint& r : replicas) unique(node[i], key + ".replicas", r, i);
    c.instances.push_back(master);
    c.replicas.push_back(std::move(replicas));
    c.credentials.push_back(std::move(cred));
    c.entry_tls.push_back(std::move(tls));
  }
}

// {master: host:port, replicas: [host:port, ...], user: U, password: P | password_file: F,
//  tls: yes|no, tls_server_name: N}
void Parser::entry(const YAML::Node& node, const std::string& key, Endpoint& master,
                   EndpointList& replicas, Credentials& cred, EntryTls& tls) {
  for (const auto& kv : node) {
    std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    if (k == "master") {
      setting(kv.second, key + ".master", master, 1, 0, "");
    } else if (k == "replicas") {
      setting(kv.second, key + ".replicas", replicas, 0, 0, "");
    } else if (k == "user" || k == "password" || k == "password_file") {
      std::string& out = k == "user"       ? cred.user
                         : k == "password" ? cred.password
                                           : cred.password_file;
      scalar(kv.second, key + "." + k, out);
    } else if (k == "tls") {
      std::string v;
      scalar(kv.second, key + ".tls", v);
      if (v == "yes" || v == "no" || v == "true" || v == "false") {
        tls.on = v == "yes" || v == "true";
      } else if (!v.empty()) {
        error(kv.second, key + ".tls", "expected yes or no, got '" + v + "'");
      }
    } else if (k == "tls_server_name") {
      scalar(kv.second, key + "." + k, tls.server_name);
    } else {
      error(kv.first, key + "." + k,
            "unknown key (an entry has master, replicas, user, password, password_file, tls, "
            "tls_server_name)");
    }
  }
  if (!node["master"])
    error(node, key,
          "missing master (the form is {master: host:port, replicas: [host:port, ...]})");
}

// Every address serves one shard in one role: a replica that is also a master elsewhere, or
// an address listed twice, is refused.
bool Parser::unique(const YAML::Node& node, const std::string& key, const Endpoint& ep,
                    size_t index) {
  std::string addr = ep.to_string();
  auto [it, fresh] = seen_.emplace(addr, std::make_pair(index, node.Mark().line + 1));
  if (fresh) return true;
  error(node, key,
        "duplicate instance " + addr + " (already instances[" + std::to_string(it->second.first) +
            "] on line " + std::to_string(it->second.second) + ")");
  return false;
}

}  // namespace preshard::config
