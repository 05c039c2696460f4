#include <catch2/catch.hpp>

#include "config_errors.hpp"
#include "preshard/acl/user.hpp"
#include "preshard/config/config.hpp"
#include "preshard/ctl/managed_instance.hpp"

using preshard::config::parse_config;

TEST_CASE("without a redis: section the instances get the defaults") {
  auto r = parse_config("instances: [127.0.0.1:7000]\n", "t.yaml");
  REQUIRE(r.errors.empty());
  CHECK(r.config->redis.dir == "var/instances");
  CHECK(r.config->redis.get("appendonly") == "yes");
  CHECK(r.config->redis.get("appendfsync") == "everysec");
  CHECK(r.config->redis.get("save") == "\"\"");
  CHECK(r.config->redis.persistent());
}

TEST_CASE("the redis: section overrides defaults and passes any directive through") {
  auto r = parse_config(R"(
instances: [127.0.0.1:7000]
redis:
  dir: /srv/redis
  appendonly: no
  save: ["3600 1", "300 100"]
  maxmemory: 64mb
  hz: 20
  lazyfree-lazy-eviction: true
)",
                        "t.yaml");
  INFO(all_errors(r));
  REQUIRE(r.errors.empty());
  const auto& redis = r.config->redis;
  CHECK(redis.dir == "/srv/redis");
  CHECK(redis.get("appendonly") == "no");
  CHECK(redis.get("save") == "300 100");  // the last line of a list
  CHECK(redis.get("lazyfree-lazy-eviction") == "yes");
  CHECK(redis.persistent());  // RDB save points
  preshard::ctl::ManagedInstance inst{
      3, {"127.0.0.1", 7003}, "127.0.0.1", "/srv/redis/7003", std::nullopt};
  std::string conf = preshard::ctl::render_redis_conf(inst, redis, "/etc/p.yaml");
  CHECK(conf.find("port 7003\nbind 127.0.0.1\ndir \"/srv/redis/7003\"\n") != std::string::npos);
  CHECK(conf.find("pidfile \"/srv/redis/7003/redis.pid\"\n") != std::string::npos);
  CHECK(conf.find("daemonize no\n") != std::string::npos);
  // Defaults first (less the replaced ones), then the file's in its order; a list gives lines.
  CHECK(conf.find("appendfsync everysec\nmaxmemory-policy noeviction\nrepl-diskless-sync-delay 0\n"
                  "busy-reply-threshold 500\nappendonly no\n"
                  "save 3600 1\nsave 300 100\nmaxmemory 64mb\nhz 20\n") != std::string::npos);
  CHECK(conf.find("appendonly yes") == std::string::npos);
  CHECK(conf.find("replicaof") == std::string::npos);
  // A replica starts as one of its shard's master.
  inst.replica_of = preshard::config::Endpoint{"10.0.0.1", 7003};
  conf = preshard::ctl::render_redis_conf(inst, redis, "/etc/p.yaml");
  CHECK(conf.ends_with("replicaof 10.0.0.1 7003\n"));
  CHECK(inst.label() == "shard 3 replica 127.0.0.1:7003");
  // backend_user: the proxy's least-privilege user, its password hashed.
  conf = preshard::ctl::render_redis_conf(inst, redis, "/etc/p.yaml", {"proxy", "pw", ""});
  CHECK(conf.ends_with("user proxy on #" + preshard::acl::password_hash("pw") +
                       " ~* &* +@all -@admin -@dangerous +info +role\n"));
  CHECK(conf.find(" >pw") == std::string::npos);
}

TEST_CASE("an empty redis: section means the defaults; no persistence when both are off") {
  auto r = parse_config("instances: [h:1]\nredis:\n", "t.yaml");
  REQUIRE(r.errors.empty());
  CHECK(r.config->redis.get("appendonly") == "yes");
  r = parse_config("instances: [h:1]\nredis: {appendonly: \"no\", save: \"\"}\n", "t.yaml");
  REQUIRE(r.errors.empty());
  CHECK_FALSE(r.config->redis.persistent());
}

TEST_CASE("the redis: section refuses what preshardctl owns and what is not a directive") {
  auto r = parse_config(R"(
instances: [127.0.0.1:7000]
redis:
  port: 7000
  Save: x
  maxmemory: {a: 1}
  appendonly: yes
  appendonly: no
  dir: ""
)",
                        "t.yaml");
  std::string e = all_errors(r);
  CHECK_FALSE(r.config);
  CHECK(e.find("t.yaml:4: redis.port: set by preshardctl for each instance") != std::string::npos);
  CHECK(e.find("t.yaml:5: redis.Save: not a redis.conf directive name") != std::string::npos);
  CHECK(e.find("t.yaml:6: redis.maxmemory: expected a value or a list of values") !=
        std::string::npos);
  CHECK(e.find("t.yaml:8: redis.appendonly: duplicate key (first set on line 7)") !=
        std::string::npos);
  CHECK(e.find("t.yaml:9: redis.dir: expected a directory") != std::string::npos);
  r = parse_config("instances: [h:1]\nredis: [a, b]\n", "t.yaml");
  CHECK(all_errors(r).find("redis: expected a map of redis.conf directives") != std::string::npos);
}
