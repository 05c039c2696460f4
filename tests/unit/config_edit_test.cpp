#include <catch2/catch.hpp>

#include "preshard/config/config.hpp"
#include "preshard/ctl/config_edit.hpp"

using preshard::ctl::replace_instance;

namespace {
const char* kFile =
    "# the map\n"
    "listen: 127.0.0.1:6380   # clients\n"
    "instances:\n"
    "  - 127.0.0.1:7000   # shard 0\n"
    "  - \"127.0.0.1:7001\"\n"
    "  - 127.0.0.1:7002\n";
}

TEST_CASE("replace_instance edits one entry and keeps everything else") {
  std::string why;
  auto out = replace_instance(kFile, 0, "10.0.0.5:8000", why);
  REQUIRE(out);
  CHECK(*out ==
        "# the map\n"
        "listen: 127.0.0.1:6380   # clients\n"
        "instances:\n"
        "  - 10.0.0.5:8000   # shard 0\n"
        "  - \"127.0.0.1:7001\"\n"
        "  - 127.0.0.1:7002\n");
  auto quoted = replace_instance(kFile, 1, "10.0.0.5:8001", why);
  REQUIRE(quoted);
  CHECK(quoted->find("  - 10.0.0.5:8001\n") != std::string::npos);
  auto last = replace_instance(kFile, 2, "[::1]:9000", why);
  REQUIRE(last);
  CHECK(last->substr(last->size() - 17) == "  - \"[::1]:9000\"\n");
}

TEST_CASE("replace_instance refuses what it cannot do exactly") {
  std::string why;
  CHECK_FALSE(replace_instance(kFile, 3, "10.0.0.5:8000", why));
  CHECK(why == "instances has no entry 3");
  CHECK_FALSE(replace_instance(kFile, 0, "127.0.0.1:7001", why));  // a duplicate
  CHECK(why.find("does not parse") != std::string::npos);
  CHECK_FALSE(replace_instance("instances: [127.0.0.1:7000, 127.0.0.1:7001]\n", 0, "a b", why));
  CHECK_FALSE(replace_instance("instances: {", 0, "10.0.0.5:8000", why));
  auto flow =
      replace_instance("instances: [127.0.0.1:7000, 127.0.0.1:7001]\n", 1, "10.0.0.5:8001", why);
  REQUIRE(flow);
  CHECK(*flow == "instances: [127.0.0.1:7000, 10.0.0.5:8001]\n");
}

TEST_CASE("a reload may not change the instance count, the hash or the tags") {
  auto parse = [](const std::string& text) {
    auto r = preshard::config::parse_config(text, "f.yaml");
    REQUIRE(r.errors.empty());
    return *r.config;
  };
  auto running = parse("threads: 2\ninstances: [127.0.0.1:7000, 127.0.0.1:7001]\n");
  auto same = parse("threads: 2\ntimeout_ms: 5\ninstances: [127.0.0.1:7000, 127.0.0.1:8001]\n");
  auto ok = preshard::config::check_reload(running, same);
  CHECK(ok.errors.empty());
  CHECK(ok.warnings.empty());
  auto fewer =
      parse("threads: 4\nlisten: 127.0.0.1:1\nhash_tag: \"[]\"\ninstances: [127.0.0.1:7000]\n");
  auto bad = preshard::config::check_reload(running, fewer);
  REQUIRE(bad.errors.size() == 2);
  CHECK(bad.errors[0].find("1 instances instead of 2") != std::string::npos);
  CHECK(bad.errors[1].find("hash_tag") != std::string::npos);
  CHECK(bad.warnings.size() == 2);
}
