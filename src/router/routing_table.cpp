#include "preshard/router/routing_table.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "preshard/router/hash_tag.hpp"
#include "preshard/router/sha1.hpp"

namespace preshard::router {

std::shared_ptr<const RoutingTable> RoutingTable::build(const config::Config& c,
                                                        const RoutingTable* previous) {
  auto t = std::make_shared<RoutingTable>();
  std::map<std::string, TargetId> known;  // address -> id, from the previous table
  TargetId next = 0;
  if (previous != nullptr) {
    for (const Target& target : previous->targets_) {
      known.emplace(target.address.to_string(), target.id);
      next = std::max(next, target.id + 1);
    }
  }
  std::map<std::string, TargetId> used;
  config::Credentials cred;  // the shard being added's
  auto id_of = [&](const config::Endpoint& ep) {
    std::string addr = ep.to_string();
    auto it = used.find(addr);
    if (it == used.end()) {
      auto k = known.find(addr);
      TargetId id = k != known.end() ? k->second : next++;
      it = used.emplace(addr, id).first;
      t->targets_.push_back({id, ep, cred.user, cred.password});
    }
    return it->second;
  };
  for (size_t i = 0; i < c.instances.size(); ++i) {
    cred = c.backend_credentials(i);
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
