#include "preshard/ctl/managed_instance.hpp"

#include <algorithm>
#include <map>

#include "preshard/acl/user.hpp"
#include "preshard/ctl/local_host.hpp"

namespace preshard::ctl {

namespace fs = std::filesystem;

std::string ManagedInstance::label() const {
  return "shard " + std::to_string(shard) + (replica_of ? " replica " : " ") + address.to_string();
}

fs::path data_root(const config::Config& c) {
  fs::path dir = c.redis.dir;
  if (dir.is_relative()) dir = fs::absolute(fs::path(c.source)).parent_path() / dir;
  return dir.lexically_normal();
}

Selection select_local(const config::Config& c, const std::vector<bool>* only,
                       const std::vector<std::optional<config::Endpoint>>* masters) {
  Selection out;
  fs::path root = data_root(c);
  std::map<uint16_t, size_t> ports;  // port -> shard, to refuse two in one directory
  for (size_t i = 0; i < c.instances.size(); ++i) {
    if (only && !(*only)[i]) continue;
    std::vector<config::Endpoint> members = {c.instances[i]};
    members.insert(members.end(), c.replicas[i].begin(), c.replicas[i].end());
    config::Endpoint master = c.instances[i];
    if (masters && i < masters->size() && (*masters)[i] &&
        std::find(members.begin(), members.end(), *(*masters)[i]) != members.end()) {
      master = *(*masters)[i];
    }
    bool here = false;
    for (const config::Endpoint& ep : members) {
      auto bind = local_address(ep.host);
      if (!bind) continue;  // another machine's instance: that machine runs it
      here = true;
      auto [it, fresh] = ports.emplace(ep.port, i);
      if (!fresh) {
        out.instances.clear();
        out.error = "shards " + std::to_string(it->second) + " and " + std::to_string(i) +
                    " both have an instance on port " + std::to_string(ep.port) +
                    " of this machine: their directories under " + root.string() + " would clash";
        return out;
      }
      ManagedInstance inst{i, ep, *bind, root / std::to_string(ep.port), std::nullopt};
      if (!(ep == master)) inst.replica_of = master;
      out.instances.push_back(std::move(inst));
    }
    if (only && !here) {
      out.instances.clear();
      out.error = "shard " + std::to_string(i) + " (" + c.instances[i].to_string() +
                  ") has no instance on this machine: run the command there";
      return out;
    }
  }
  if (out.instances.empty()) {
    out.error = "no instance of " + c.source + " has an address on this machine";
  }
  return out;
}

namespace {

// A path as one redis.conf argument (its parser takes "..." with backslash escapes).
std::string quoted(const fs::path& p) {
  std::string out = "\"";
  for (char ch : p.string()) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

std::string proxy_user_line(const config::Credentials& proxy) {
  if (proxy.user.empty()) return "";
  // The password as its SHA-256 (#): the file never holds it in clear.
  return "user " + proxy.user + " on #" + acl::password_hash(proxy.password) +
         " ~* &* +@all -@admin -@dangerous +info +role\n";
}

std::string render_redis_conf(const ManagedInstance& inst, const config::RedisSection& redis,
                              const std::string& source, const config::Credentials& proxy) {
  std::string out = "# Written by preshardctl instances start from " + source + " (" +
                    inst.label() +
                    "); rewritten on every start: change the config's redis: section instead.\n";
  out += "port " + std::to_string(inst.address.port) + "\n";
  out += "bind " + inst.bind + "\n";
  out += "dir " + quoted(inst.dir) + "\n";
  out += "pidfile " + quoted(inst.pidfile()) + "\n";
  out += "logfile " + quoted(inst.log()) + "\n";
  out += "daemonize no\n";
  for (const auto& [key, value] : redis.directives) out += key + " " + value + "\n";
  if (inst.replica_of) {
    // Its role at start; Sentinel (or preshardctl failover) changes it later.
    out +=
        "replicaof " + inst.replica_of->host + " " + std::to_string(inst.replica_of->port) + "\n";
    std::string pass = redis.password();
    if (!pass.empty()) out += "masterauth " + pass + "\n";
  }
  out += proxy_user_line(proxy);
  return out;
}

}  // namespace preshard::ctl
