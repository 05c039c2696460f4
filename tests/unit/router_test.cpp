#include <catch2/catch.hpp>

#include "preshard/config/config.hpp"
#include "preshard/router/hash_tag.hpp"
#include "preshard/router/routing_table.hpp"
#include "preshard/router/sha1.hpp"

using preshard::router::hash_slice;
using preshard::router::RoutingTable;

namespace {

std::shared_ptr<const RoutingTable> table(size_t n, const std::string& tag = "{}") {
  preshard::config::Config c;
  c.hash_tag = tag;
  for (size_t i = 0; i < n; ++i) {
    c.instances.push_back({"127.0.0.1", static_cast<uint16_t>(7000 + i)});
  }
  return RoutingTable::build(c);
}

}  // namespace

TEST_CASE("hash tags follow Redis Cluster's rule") {
  CHECK(hash_slice("user{42}:profile", '{', '}', true) == "42");
  CHECK(hash_slice("foo{}{bar}", '{', '}', true) == "foo{}{bar}");
  CHECK(hash_slice("foo{{bar}}zap", '{', '}', true) == "{bar");
  CHECK(hash_slice("foo{bar}{zap}", '{', '}', true) == "bar");
  CHECK(hash_slice("{user1000}.following", '{', '}', true) == "user1000");
  CHECK(hash_slice("no tag", '{', '}', true) == "no tag");
  CHECK(hash_slice("open{only", '{', '}', true) == "open{only");
  CHECK(hash_slice("close}first{x}", '{', '}', true) == "x");
  CHECK(hash_slice("user{42}", '{', '}', false) == "user{42}");
  CHECK(hash_slice("a$b$c", '$', '$', true) == "b");
}

TEST_CASE("SHA1 prefix is the big-endian first 8 bytes") {
  // SHA1("") = da39a3ee5e6b4b0d...
  CHECK(preshard::router::sha1_prefix64("") == 0xda39a3ee5e6b4b0dULL);
  // SHA1("abc") = a9993e364706816a...
  CHECK(preshard::router::sha1_prefix64("abc") == 0xa9993e364706816aULL);
}

TEST_CASE("golden shard vectors for N=128") {
  auto t = table(128);
  CHECK(t->shard_of("foo") == 91);
  CHECK(t->shard_of("bar") == 101);
  CHECK(t->shard_of("") == 13);
  CHECK(t->shard_of("user{42}:profile") == t->shard_of("42"));
  CHECK(t->shard_of("user{42}:profile") == 20);
  CHECK(t->shard_of("foo{}{bar}") == 67);
  CHECK(t->shard_of("{bar}") == 101);
}

TEST_CASE("tags off hashes the whole key") {
  auto t = table(128, "");
  CHECK(t->shard_of("user{42}:profile") != t->shard_of("42"));
}

TEST_CASE("one instance takes every key") {
  auto t = table(1);
  CHECK(t->shard_of("anything") == 0);
}

TEST_CASE("targets keep their ids across reloads; a moved shard gets another target") {
  preshard::config::Config a;
  a.instances = {{"127.0.0.1", 7000}, {"127.0.0.1", 7001}, {"127.0.0.1", 7002}};
  auto first = RoutingTable::build(a);
  preshard::config::Config b = a;
  b.instances[1] = {"127.0.0.1", 7101};  // shard 1 moves
  auto second = RoutingTable::build(b, first.get());
  CHECK(second->primary(0) == first->primary(0));
  CHECK(second->primary(2) == first->primary(2));
  CHECK(second->primary(1) != first->primary(1));
  CHECK(second->address(second->primary(1)).port == 7101);
  // Moving it back later gives a new id again (the old one is not remembered past one reload).
  auto third = RoutingTable::build(a, second.get());
  CHECK(third->primary(0) == first->primary(0));
  CHECK(third->primary(1) != second->primary(1));
}

TEST_CASE("new credentials or TLS for a shard move it to new connections, nothing else moves") {
  preshard::config::Config a;
  a.instances = {{"127.0.0.1", 7000}, {"127.0.0.1", 7001}, {"127.0.0.1", 7002}};
  a.credentials.resize(3);
  a.entry_tls.resize(3);
  auto first = RoutingTable::build(a);
  CHECK_FALSE(first->target(first->primary(0)).tls);
  preshard::config::Config b = a;
  b.credentials[1].password = "rotated";
  b.entry_tls[2].on = true;
  b.entry_tls[2].server_name = "cache.example";
  auto second = RoutingTable::build(b, first.get());
  CHECK(second->primary(0) == first->primary(0));
  CHECK(second->primary(1) != first->primary(1));
  CHECK(second->target(second->primary(1)).password == "rotated");
  CHECK(second->primary(2) != first->primary(2));
  CHECK(second->target(second->primary(2)).tls);
  CHECK(second->target(second->primary(2)).tls_name == "cache.example");
  // tls_backends: every entry without a tls: of its own; the name defaults to the host.
  preshard::config::Config c = b;
  c.tls_backends = "yes";
  c.entry_tls[2].on = false;
  auto third = RoutingTable::build(c, second.get());
  CHECK(third->target(third->primary(0)).tls);
  CHECK(third->target(third->primary(0)).tls_name == "127.0.0.1");
  CHECK_FALSE(third->target(third->primary(2)).tls);
  CHECK(third->primary(0) != second->primary(0));
}

TEST_CASE("a script's name is SHA1 in lowercase hex, as Redis's SCRIPT LOAD answers") {
  CHECK(preshard::router::sha1_hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(preshard::router::sha1_hex("return 1") == "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
}
