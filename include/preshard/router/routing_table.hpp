#pragma once
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "preshard/config/config.hpp"

namespace preshard::router {

// The immutable map from keys to shards and shards to instances. A reload builds a new table and
// publishes it; requests keep the table they started with.
class RoutingTable {
 public:
  static std::shared_ptr<const RoutingTable> build(const config::Config& c, uint64_t generation);

  size_t shard_count() const { return instances_.size(); }
  // shard = uint64_be(SHA1(h)[0..8]) mod N, h = the key or its hash tag.
  size_t shard_of(std::string_view key) const;
  const config::Endpoint& endpoint(size_t shard) const { return instances_[shard]; }
  const std::vector<config::Endpoint>& instances() const { return instances_; }
  uint64_t generation() const { return generation_; }

 private:
  std::vector<config::Endpoint> instances_;
  uint64_t generation_ = 0;
  bool tags_ = true;
  char open_ = '{';
  char close_ = '}';
};

}  // namespace preshard::router
