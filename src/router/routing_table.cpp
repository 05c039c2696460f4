#include "preshard/router/routing_table.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "preshard/router/hash_tag.hpp"
#include "preshard/router/sha1.hpp"

namespace preshard::router {

namespace {

// What makes two targets the same instance connection: address, credentials and TLS.
std::string identity(const config::Endpoint& address, const std::string& user,
                     const std::string& password, bool tls, const std::string& tls_name) {
  std::string id = address.to_string();
  for (const std::string* part : {&user, &password}) id += '\0' + *part;
  if (tls) id += "\0tls\0" + tls_name;
  return id;
}

}  // namespace

std::shared_ptr<const RoutingTable> RoutingTable::build(const config::Config& c,
                                                        const RoutingTable* previous) {
  auto t = std::make_shared<RoutingTable>();
  std::map<std::string, TargetId> known;  // identity -> id, from the previous table
  TargetId next = 0;
  if (previous != nullptr) {
    for (const Target& target : previous->targets_) {
      known.emplace(
          identity(target.address, target.user, target.password, target.tls, target.tls_name),
          target.id);
      next = std::max(next, target.id + 1);
    }
  }
  std::map<std::string, TargetId> used;
  config::Credentials cred;  // the shard being added's
  bool tls = false;
  std::string tls_name;
  auto id_of = [&](const config::Endpoint& ep) {
    std::string name = tls_name.empty() ? ep.host : tls_name;
    std::string key = identity(ep, cred.user, cred.password, tls, name);
    auto it = used.find(key);
    if (it == used.end()) {
      auto k = known.find(key);
      TargetId id = k != known.end() ? k->second : next++;
      it = used.emplace(key, id).first;
      t->targets_.push_back({id, ep, cred.user, cred.password, tls, tls ? name : ""});
    }
    return it->second;
  };
  for (size_t i = 0; i < c.instances.size(); ++i) {
    cred = c.backend_credentials(i);
    tls = c.backend_tls(i);
    tls_name = i < c.entry_tls.size() ? c.entry_tls[i].server_name : "";
    Shard s{id_of(c.instances[i]), {}};
    if (i < c.replicas.size()) {
      for (const config::Endpoint& r : c.replicas[i]) s.replicas.push_back(id_of(r));
    }
    t->shards_.push_back(std::move(s));
  }
  std::sort(t->targets_.begin(), t->targets_.end(),
            [](const Target& a, const Target& b) { return a.id < b.id; });
  t->tags_ = c.hash_tag.size() == 2;
  if (t->tags_) {
    t->open_ = c.hash_tag[0];
    t->close_ = c.hash_tag[1];
  }
  return t;
}

size_t RoutingTable::index_of(TargetId id) const {
  auto it = std::lower_bound(targets_.begin(), targets_.end(), id,
                             [](const Target& t, TargetId v) { return t.id < v; });
  return static_cast<size_t>(it - targets_.begin());
}

size_t RoutingTable::shard_of(std::string_view key) const {
  if (shards_.size() == 1) return 0;
  return sha1_prefix64(hash_slice(key, open_, close_, tags_)) % shards_.size();
}

}  // namespace preshard::router
