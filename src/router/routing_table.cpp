#include "preshard/router/routing_table.hpp"

#include "preshard/router/hash_tag.hpp"
#include "preshard/router/sha1.hpp"

namespace preshard::router {

std::shared_ptr<const RoutingTable> RoutingTable::build(const config::Config& c,
                                                        uint64_t generation) {
  auto t = std::make_shared<RoutingTable>();
  t->instances_ = c.instances;
  t->generation_ = generation;
  t->tags_ = c.hash_tag.size() == 2;
  if (t->tags_) {
    t->open_ = c.hash_tag[0];
    t->close_ = c.hash_tag[1];
  }
  return t;
}

size_t RoutingTable::shard_of(std::string_view key) const {
  if (instances_.size() == 1) return 0;
  return sha1_prefix64(hash_slice(key, open_, close_, tags_)) % instances_.size();
}

}  // namespace preshard::router
