// The failover parts of the config: entries with replicas, the Sentinel settings and names,
// and what preshard reads from Sentinel.
#include <catch2/catch.hpp>

#include "config_errors.hpp"
#include "preshard/config/config.hpp"
#include "preshard/config/sentinel_name.hpp"
#include "preshard/resp/encode.hpp"
#include "preshard/sentinel/sentinel_reply.hpp"

using preshard::config::Endpoint;
using preshard::config::parse_config;

TEST_CASE("an instance entry may name its replicas") {
  auto r = parse_config(R"(
instances:
  - 127.0.0.1:7000
  - {master: 127.0.0.1:7001, replicas: [127.0.0.2:7001, "[::1]:7001"]}
  - master: 127.0.0.1:7002
sentinels: [127.0.0.1:26379, localhost:26380]
sentinel_name: "app-{shard}-m"
sentinel_password: s3cret
)",
                        "t.yaml");
  INFO(all_errors(r));
  REQUIRE(r.errors.empty());
  const auto& c = *r.config;
  REQUIRE(c.instances.size() == 3);
  REQUIRE(c.replicas.size() == 3);
  CHECK(c.instances[1] == Endpoint{"127.0.0.1", 7001});
  CHECK(c.replicas[0].empty());
  CHECK(c.replicas[1] == std::vector<Endpoint>{{"127.0.0.2", 7001}, {"::1", 7001}});
  CHECK(c.replicas[2].empty());
  CHECK(c.sentinels == std::vector<Endpoint>{{"127.0.0.1", 26379}, {"localhost", 26380}});
  CHECK(c.sentinel_name == "app-{shard}-m");
  CHECK(c.sentinel_password == "s3cret");
}

TEST_CASE("replica and Sentinel mistakes are refused with file, line and key") {
  auto errors = [](const std::string& yaml) { return all_errors(parse_config(yaml, "t.yaml")); };
  // A replica that is a master elsewhere, and a replica listed twice.
  CHECK(errors("instances:\n  - 127.0.0.1:7000\n  - {master: 127.0.0.1:7001, replicas: "
               "[127.0.0.1:7000]}\n") ==
        "t.yaml:3: instances[1].replicas: duplicate instance 127.0.0.1:7000 (already "
        "instances[0] on line 2)\n");
  CHECK(errors("instances:\n  - {master: 127.0.0.1:7001, replicas: [127.0.0.1:7002, "
               "127.0.0.1:7002]}\n") ==
        "t.yaml:2: instances[0].replicas: duplicate instance 127.0.0.1:7002 (already "
        "instances[0] on line 2)\n");
  CHECK(errors("instances:\n  - {replicas: [127.0.0.1:7002]}\n") ==
        "t.yaml:2: instances[0]: missing master (the form is {master: host:port, replicas: "
        "[host:port, ...]})\n");
  CHECK(errors("instances:\n  - {master: 127.0.0.1:7001, replica: 127.0.0.1:7002}\n") ==
        "t.yaml:2: instances[0].replica: unknown key (an entry has master, replicas, user, "
        "password, password_file, tls, tls_server_name)\n");
  CHECK(errors("instances:\n  - {master: 127.0.0.1:7001, replicas: 127.0.0.1:7002}\n") ==
        "t.yaml:2: instances[0].replicas: expected a list of host:port\n");
  CHECK(errors("instances: [127.0.0.1:7000, 127.0.0.1:7001]\nsentinel_name: mymaster\n") ==
        "t.yaml:2: sentinel_name: must contain {shard}, so that every shard has a name of its "
        "own\n");
  CHECK(errors("instances: [127.0.0.1:7000]\nsentinel_name: \"a {shard}\"\n") ==
        "t.yaml:2: sentinel_name: must not contain spaces, quotes or control characters "
        "(Sentinel's names are words)\n");
  CHECK(errors("instances: [127.0.0.1:7000]\nsentinels: [127.0.0.1:1, 127.0.0.1:1]\n") ==
        "t.yaml:2: sentinels: duplicate Sentinel 127.0.0.1:1\n");
  CHECK(errors("instances: [127.0.0.1:7000]\nsentinels: [127.0.0.1]\n") ==
        "t.yaml:2: sentinels[0]: expected host:port, got '127.0.0.1'\n");
  CHECK(errors("instances: [127.0.0.1:7000]\nrole_check: maybe\n") ==
        "t.yaml:2: role_check: unsupported role_check 'maybe' (one of: yes no)\n");
}

TEST_CASE("a shard's Sentinel name is zero-padded to the width of N-1, and read back") {
  using preshard::config::sentinel_name;
  using preshard::config::shard_of_sentinel_name;
  CHECK(sentinel_name("preshard-{shard}", 7, 128) == "preshard-007");
  CHECK(sentinel_name("preshard-{shard}", 127, 128) == "preshard-127");
  CHECK(sentinel_name("p{shard}x", 3, 10) == "p3x");
  CHECK(sentinel_name("p{shard}x", 3, 11) == "p03x");
  CHECK(sentinel_name("solo", 0, 1) == "solo");
  CHECK(shard_of_sentinel_name("preshard-{shard}", "preshard-007", 128) == 7u);
  CHECK(shard_of_sentinel_name("preshard-{shard}", "preshard-7", 128) == std::nullopt);
  CHECK(shard_of_sentinel_name("preshard-{shard}", "preshard-128", 128) == std::nullopt);
  CHECK(shard_of_sentinel_name("preshard-{shard}", "preshard-0x1", 128) == std::nullopt);
  CHECK(shard_of_sentinel_name("preshard-{shard}", "mymaster", 128) == std::nullopt);
  CHECK(shard_of_sentinel_name("p{shard}x", "p03x", 11) == 3u);
  CHECK(shard_of_sentinel_name("solo", "solo", 1) == 0u);
  for (size_t i = 0; i < 1000; ++i) {
    CHECK(shard_of_sentinel_name("s-{shard}", sentinel_name("s-{shard}", i, 1000), 1000) == i);
  }
}

namespace {
std::string array(std::initializer_list<std::string> items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (const auto& s : items) out += "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
  return out;
}
}  // namespace

TEST_CASE("SENTINEL MASTER's reply gives the master's address and config epoch") {
  std::string why;
  auto m = preshard::sentinel::parse_master(
      array({"name", "preshard-003", "ip", "127.0.0.1", "port", "7103", "runid", "abc", "flags",
             "master", "config-epoch", "4", "num-slaves", "1"}),
      why);
  REQUIRE(m);
  CHECK(m->address == Endpoint{"127.0.0.1", 7103});
  CHECK(m->config_epoch == 4);
  CHECK(m->flags == "master");
  // RESP3: a map.
  m = preshard::sentinel::parse_master(
      "%3\r\n$2\r\nip\r\n$3\r\n::1\r\n$4\r\nport\r\n$4\r\n7000\r\n$12\r\nconfig-epoch\r\n$"
      "1\r\n0\r\n",
      why);
  REQUIRE(m);
  CHECK(m->address == Endpoint{"::1", 7000});
  CHECK_FALSE(preshard::sentinel::parse_master("-ERR No such master with that name\r\n", why));
  CHECK(why == "ERR No such master with that name");
  CHECK_FALSE(preshard::sentinel::parse_master(array({"name", "x", "ip", "127.0.0.1"}), why));
  CHECK(why == "SENTINEL MASTER gave no usable ip and port");
  CHECK_FALSE(preshard::sentinel::parse_master(":1\r\n", why));
}

TEST_CASE("+switch-master's payload names the master, the old and the new address") {
  auto s = preshard::sentinel::parse_switch("preshard-012 127.0.0.1 7012 127.0.0.2 7112");
  REQUIRE(s);
  CHECK(s->name == "preshard-012");
  CHECK(s->from == Endpoint{"127.0.0.1", 7012});
  CHECK(s->to == Endpoint{"127.0.0.2", 7112});
  CHECK_FALSE(preshard::sentinel::parse_switch("preshard-012 127.0.0.1 7012 127.0.0.2"));
  CHECK_FALSE(preshard::sentinel::parse_switch("preshard-012 127.0.0.1 7012 127.0.0.2 x"));
  CHECK_FALSE(preshard::sentinel::parse_switch(""));
}

TEST_CASE("an entry's TLS: yes/no, a server name only with TLS, TLS-only needs a tls_port") {
  auto r = parse_config(R"(
tls_backends: "yes"
instances:
  - 127.0.0.1:7000
  - {master: 127.0.0.1:7001, tls: no}
  - {master: 127.0.0.1:7002, tls_server_name: cache.example}
)",
                        "t.yaml");
  INFO(all_errors(r));
  REQUIRE(r.errors.empty());
  CHECK(r.config->backend_tls(0));
  CHECK_FALSE(r.config->backend_tls(1));
  CHECK(r.config->entry_tls[2].server_name == "cache.example");
  auto errors = [](const std::string& yaml) { return all_errors(parse_config(yaml, "t.yaml")); };
  CHECK(errors("instances:\n  - {master: 127.0.0.1:7001, tls: maybe}\n") ==
        "t.yaml:2: instances[0].tls: expected yes or no, got 'maybe'\n");
  CHECK(errors("instances:\n  - {master: 127.0.0.1:7001, tls_server_name: x}\n") ==
        "t.yaml:2: instances[0].tls_server_name: set, but the entry does not use TLS (tls: yes, "
        "or tls_backends: yes)\n");
  CHECK(errors("listen: 127.0.0.1:0\ninstances: [127.0.0.1:7001]\n") ==
        "t.yaml:1: listen: port 0 (no plain port) needs a tls_port\n");
  CHECK(errors("instances: [127.0.0.1:0]\n") ==
        "t.yaml:1: instances[0]: invalid port in '127.0.0.1:0' (expected 1-65535)\n");
}
