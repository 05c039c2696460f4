#include <catch2/catch.hpp>

#include "preshard/config/config.hpp"
#include "preshard/ctl/config_edit.hpp"

namespace {
// replace_entry with addresses written as text.
std::optional<std::string> replace_instance(const std::string& text, size_t shard,
                                            const std::string& master, std::string& why,
                                            const std::vector<std::string>& replicas = {}) {
  auto ep = [](const std::string& a) {
    std::string w;
    return *preshard::config::parse_endpoint(a, w);
  };
  std::vector<preshard::config::Endpoint> r;
  for (const auto& a : replicas) r.push_back(ep(a));
  return preshard::ctl::replace_entry(text, shard, ep(master), r, why);
}

const char* kFile =
    "# the map\n"
    "listen: 127.0.0.1:6380   # clients\n"
    "instances:\n"
    "  - 127.0.0.1:7000   # shard 0\n"
    "  - \"127.0.0.1:7001\"\n"
    "  - 127.0.0.1:7002\n";
}  // namespace

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
  CHECK_FALSE(replace_instance("instances: {", 0, "10.0.0.5:8000", why));
  auto flow =
      replace_instance("instances: [127.0.0.1:7000, 127.0.0.1:7001]\n", 1, "10.0.0.5:8001", why);
  REQUIRE(flow);
  CHECK(*flow == "instances: [127.0.0.1:7000, 10.0.0.5:8001]\n");
}

TEST_CASE("an entry with replicas is rewritten whole, as a flow map") {
  const char* file =
      "instances:\n"
      "  - {master: 127.0.0.1:7000, replicas: [127.0.0.2:7000]}  # shard 0\n"
      "  - 127.0.0.1:7001\n";
  std::string why;
  // A switchover: the replica becomes the master and the old master its replica.
  auto out = replace_instance(file, 0, "127.0.0.2:7000", why, {"127.0.0.1:7000"});
  INFO(why);
  REQUIRE(out);
  CHECK(*out ==
        "instances:\n"
        "  - {master: 127.0.0.2:7000, replicas: [127.0.0.1:7000]}  # shard 0\n"
        "  - 127.0.0.1:7001\n");
  // A plain entry gains replicas; an entry loses them.
  out = replace_instance(file, 1, "127.0.0.1:7001", why, {"[::1]:7001"});
  REQUIRE(out);
  CHECK(out->find("  - {master: 127.0.0.1:7001, replicas: [\"[::1]:7001\"]}\n") !=
        std::string::npos);
  out = replace_instance(file, 0, "127.0.0.3:7000", why);
  REQUIRE(out);
  CHECK(out->find("  - 127.0.0.3:7000  # shard 0\n") != std::string::npos);
  // A block map cannot be edited in place exactly: refused, with what to do.
  CHECK_FALSE(
      replace_instance("instances:\n  - master: 127.0.0.1:7000\n    replicas: "
                       "[127.0.0.2:7000]\n",
                       0, "127.0.0.2:7000", why, {"127.0.0.1:7000"}));
  CHECK(why ==
        "instance 0: its entry is a block map: write it as {master: ..., replicas: [...]} to "
        "edit it");
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
