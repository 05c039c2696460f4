#include <catch2/catch.hpp>

#include "preshard/config/config.hpp"
#include "preshard/ctl/layout.hpp"

using preshard::ctl::parse_layout;

TEST_CASE("a layout lists its instances in order") {
  auto l = parse_layout("10.0.0.1:7000-7002,10.0.0.2:7000,[::1]:7005-7006");
  REQUIRE(l.error.empty());
  REQUIRE(l.instances.size() == 6);
  CHECK(l.instances[0].to_string() == "10.0.0.1:7000");
  CHECK(l.instances[2].to_string() == "10.0.0.1:7002");
  CHECK(l.instances[3].to_string() == "10.0.0.2:7000");
  CHECK(l.instances[5].to_string() == "[::1]:7006");
  CHECK(parse_layout("host").error == "'host' is not HOST:PORT or HOST:FIRST-LAST");
  CHECK(parse_layout("h:7005-7000").error.find("ascending") != std::string::npos);
  CHECK(parse_layout("h:0").error.find("1-65535") != std::string::npos);
  CHECK(parse_layout("h:70000").error.find("1-65535") != std::string::npos);
  CHECK(parse_layout("").error == "no instances");
}

TEST_CASE("the config init writes parses back to the same instances, every setting at default") {
  auto l = parse_layout("10.0.0.1:7000-7063,10.0.0.2:7000-7063");
  REQUIRE(l.instances.size() == 128);
  std::string text = preshard::ctl::render_config(l.instances, {"0.0.0.0", 6380});
  auto r = preshard::config::parse_config(text, "init.yaml");
  REQUIRE(r.errors.empty());
  CHECK(r.config->instances == l.instances);
  CHECK(r.config->listen.to_string() == "0.0.0.0:6380");
  CHECK(r.config->timeout_ms == preshard::config::Settings{}.timeout_ms);
  // Every setting is there to be uncommented; beyond loopback, a generated requirepass is set
  // (protected mode would refuse the file otherwise).
  for (const auto& s : preshard::config::setting_infos()) {
    if (s.name != "listen" && s.name != "requirepass")
      CHECK(text.find("# " + std::string(s.name) + ": ") != std::string::npos);
  }
  CHECK(r.config->requirepass.size() == 32);
  auto local = preshard::ctl::render_config(l.instances, {"127.0.0.1", 6380});
  CHECK(local.find("# requirepass: \"\"") != std::string::npos);
}

TEST_CASE("a shard set names shards and ranges of them") {
  std::string why;
  auto m = preshard::ctl::parse_shard_set("3,5-7,0", 8, why);
  REQUIRE(m);
  CHECK(*m == std::vector<bool>{true, false, false, true, false, true, true, true});
  CHECK_FALSE(preshard::ctl::parse_shard_set("8", 8, why));
  CHECK(why == "shard 8 does not exist (the config has 8 shards: 0-7)");
  CHECK_FALSE(preshard::ctl::parse_shard_set("2-1", 8, why));
  CHECK(why == "'2-1' is not a shard number or FIRST-LAST range");
  CHECK_FALSE(preshard::ctl::parse_shard_set("1,,2", 8, why));
  CHECK_FALSE(preshard::ctl::parse_shard_set("a", 8, why));
  CHECK_FALSE(preshard::ctl::parse_shard_set("", 8, why));
}
