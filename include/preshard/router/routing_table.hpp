#pragma once
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "preshard/config/config.hpp"

namespace preshard::router {

// An instance the proxy connects to. Its id is its identity: the same address, credentials and
// TLS keep the same id across reloads, so "did this shard move?" compares ids, never addresses
// (a reload that changes the credentials or TLS of a shard moves it, as to a new address:
// new connections, with nothing reordered).
using TargetId = uint32_t;
struct Target {
  TargetId id;
  config::Endpoint address;
  // What its connections AUTH with (the shard's credentials); no password and no user: none.
  std::string user;
  std::string password;
  bool needs_auth() const { return !user.empty() || !password.empty(); }
  // Reached over TLS; its certificate must name tls_name (the entry's tls_server_name, else the
  // address's host).
  bool tls = false;
  std::string tls_name;
};

// A shard: the target that takes its commands, and its replicas (reads with read_from).
struct Shard {
  TargetId primary;
  std::vector<TargetId> replicas;
};

// The immutable map from keys to shards and shards to targets. A reload builds a new table and
// publishes it; requests keep the table they started with.
class RoutingTable {
 public:
  // `previous`: the running table, whose targets keep their ids (null at startup).
  static std::shared_ptr<const RoutingTable> build(const config::Config& c,
                                                   const RoutingTable* previous = nullptr);

  size_t shard_count() const { return shards_.size(); }
  // shard = uint64_be(SHA1(h)[0..8]) mod N, h = the key or its hash tag.
  size_t shard_of(std::string_view key) const;
  TargetId primary(size_t shard) const { return shards_[shard].primary; }
  const std::vector<TargetId>& replicas(size_t shard) const { return shards_[shard].replicas; }
  const Target& target(TargetId id) const { return targets_[index_of(id)]; }
  const config::Endpoint& address(TargetId id) const { return target(id).address; }

 private:
  size_t index_of(TargetId id) const;

  std::vector<Shard> shards_;
  std::vector<Target> targets_;  // sorted by id
  bool tags_ = true;
  char open_ = '{';
  char close_ = '}';
};

}  // namespace preshard::router
