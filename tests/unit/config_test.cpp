#include <catch2/catch.hpp>

#include <fstream>
#include <map>

#include "config_errors.hpp"
#include "preshard/config/config.hpp"

using preshard::config::parse_config;
using preshard::config::parse_endpoint;

TEST_CASE("a full config parses") {
  auto r = parse_config(R"(
listen: 127.0.0.1:6380
threads: 2
hash: sha1
hash_tag: "{}"
timeout_ms: 250
log_level: debug
batch_yields: 0
gather_max_us: 0
gather_gap_us: 50
instances:
  - 127.0.0.1:7000
  - localhost:7001
  - "[::1]:7002"
)",
                        "t.yaml");
  INFO(all_errors(r));
  REQUIRE(r.errors.empty());
  CHECK(r.config->threads == 2);
  CHECK(r.config->timeout_ms == 250);
  CHECK(r.config->batch_yields == 0);
  CHECK(r.config->gather_max_us == 0);
  CHECK(r.config->gather_gap_us == 50);
  REQUIRE(r.config->instances.size() == 3);
  CHECK(r.config->instances[1].host == "localhost");
  CHECK(r.config->instances[2].host == "::1");
  CHECK(r.config->instances[2].to_string() == "[::1]:7002");
}

TEST_CASE("each error names the file, the line and the key") {
  struct Case {
    const char* yaml;
    const char* expected;
  };
  const Case cases[] = {
      {"instances: [127.0.0.1:7000]\nbogus: 1\n", "t.yaml:2: bogus: unknown key"},
      {"instances: [127.0.0.1:7000]\nthreads: many\n",
       "t.yaml:2: threads: expected an integer, got 'many'"},
      {"instances: [127.0.0.1:7000]\ntimeout_ms: 0\n",
       "t.yaml:2: timeout_ms: must be between 1 and"},
      {"instances:\n  - 127.0.0.1:7000\n  - 127.0.0.1:99999\n",
       "t.yaml:3: instances[1]: invalid port in '127.0.0.1:99999'"},
      {"instances:\n  - 127.0.0.1:7000\n  - nocolon\n",
       "t.yaml:3: instances[1]: expected host:port"},
      {"instances:\n  - 127.0.0.1:7000\n  - bad host:7001\n",
       "t.yaml:3: instances[1]: invalid host"},
      {"instances:\n  - 127.0.0.1:7000\n  - 127.0.0.1:7000\n",
       "t.yaml:3: instances[1]: duplicate instance 127.0.0.1:7000 (already instances[0] on line "
       "2)"},
      {"instances: []\n", "t.yaml:1: instances: the list is empty"},
      {"instances: [127.0.0.1:7000]\nbatch_yields: 65\n",
       "t.yaml:2: batch_yields: must be between 0 and 64"},
      {"instances: [127.0.0.1:7000]\ngather_max_us: 10001\n",
       "t.yaml:2: gather_max_us: must be between 0 and 10000"},
      {"instances: [127.0.0.1:7000]\ngather_gap_us: 0\n",
       "t.yaml:2: gather_gap_us: must be between 1 and 10000"},
      {"listen: 127.0.0.1:6380\n", "t.yaml: instances: missing"},
      {"instances: [127.0.0.1:7000]\nhash: md5\n", "t.yaml:2: hash: unsupported hash 'md5'"},
      {"instances: [127.0.0.1:7000]\nhash_tag: \"{\"\n", "t.yaml:2: hash_tag: expected two"},
      {"instances: [127.0.0.1:7000]\nlisten: [1, 2]\n",
       "t.yaml:2: listen: expected a single value"},
      {"instances: [127.0.0.1:7000\n", "t.yaml:2: YAML syntax error"},
      {"- just\n- a list\n", "t.yaml:1: expected a map of settings"},
      {"instances: [127.0.0.1:7000]\nthreads: 1\nthreads: 2\n",
       "t.yaml:3: threads: duplicate key (first set on line 2)"},
  };
  for (const auto& c : cases) {
    auto r = parse_config(c.yaml, "t.yaml");
    INFO(c.yaml << "\n=> " << all_errors(r));
    CHECK_FALSE(r.config.has_value());
    CHECK(all_errors(r).find(c.expected) != std::string::npos);
  }
}

TEST_CASE("every problem is reported, not only the first") {
  auto r = parse_config("instances: [127.0.0.1:0, x:y]\nthreads: -1\nnope: 1\n", "t.yaml");
  CHECK(r.errors.size() == 4);
}

TEST_CASE("an unreadable file is an error") {
  auto r = preshard::config::load_config_file("/nonexistent/preshard.yaml");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].to_string() == "/nonexistent/preshard.yaml: cannot read the file");
}

TEST_CASE("endpoints") {
  std::string why;
  CHECK(parse_endpoint("10.0.0.1:6379", why)->port == 6379);
  CHECK(parse_endpoint("redis-7.internal:6379", why)->host == "redis-7.internal");
  CHECK_FALSE(parse_endpoint(":6379", why));
  CHECK_FALSE(parse_endpoint("h:", why));
  CHECK_FALSE(parse_endpoint("h:0", why));
  CHECK_FALSE(parse_endpoint("[zz]:1", why));
}

TEST_CASE("README's configuration table has every setting with its default") {
  std::ifstream in(std::string(PRESHARD_TEST_DATA_DIR) + "/../../README.md");
  REQUIRE(in);
  std::map<std::string, std::string> documented;  // key -> default, from "| `k` | `d` | ..."
  std::string line;
  auto cells = [](const std::string& cell) {
    std::vector<std::string> out;
    for (size_t i = cell.find('`'); i != std::string::npos; i = cell.find('`', i)) {
      size_t j = cell.find('`', i + 1);
      if (j == std::string::npos) break;
      out.push_back(cell.substr(i + 1, j - i - 1));
      i = j + 1;
    }
    return out;
  };
  while (std::getline(in, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    size_t a = line.find('|', 1), b = line.find('|', a + 1);
    auto keys = cells(line.substr(1, a - 1));
    auto defaults = cells(line.substr(a + 1, b - a - 1));
    for (size_t i = 0; i < keys.size() && i < defaults.size(); ++i) {
      std::string d = defaults[i];
      if (d.size() >= 2 && d.front() == '"' && d.back() == '"') d = d.substr(1, d.size() - 2);
      documented.emplace(keys[i], d);
    }
  }
  for (const auto& s : preshard::config::setting_infos()) {
    INFO(s.name);
    auto it = documented.find(std::string(s.name));
    REQUIRE(it != documented.end());
    CHECK(it->second == s.default_text);
  }
}

TEST_CASE("a reload follows each setting's rule") {
  auto base = parse_config("instances: [127.0.0.1:7000]\n", "a.yaml");
  auto next = parse_config(
      "instances: [127.0.0.1:7000]\nthreads: 3\ntimeout_ms: 5\nhash_tag: \"[]\"\n", "b.yaml");
  REQUIRE(base.errors.empty());
  REQUIRE(next.errors.empty());
  auto check = preshard::config::check_reload(*base.config, *next.config);
  REQUIRE(check.errors.size() == 1);
  CHECK(check.errors[0].find("hash_tag: cannot change while running") != std::string::npos);
  REQUIRE(check.warnings.size() == 1);
  CHECK(check.warnings[0] == "threads: stays 1 until restart (the new value is 3)");
}
