// Every row of the command table against COMMAND INFO of redis-server 7.0, as captured in
// tests/data/redis-command-info.txt (tests/integration/test_command_table.py checks that file
// against the installed redis-server, so it cannot drift).
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "preshard/command/client_modes.hpp"
#include "preshard/command/command_reply.hpp"
#include "preshard/command/command_table.hpp"

using namespace preshard::command;

namespace {

struct Facts {
  int arity, first, last, step;
  std::string flags;       // sorted, comma-separated
  std::string categories;  // ACL categories, likewise
};

std::map<std::string, Facts> redis_commands() {
  std::ifstream in(PRESHARD_TEST_DATA_DIR "/redis-command-info.txt");
  REQUIRE(in);
  std::map<std::string, Facts> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string name;
    Facts f{};
    fields >> name >> f.arity >> f.first >> f.last >> f.step;
    fields >> f.flags >> f.categories;  // "-" when there are none
    if (f.flags == "-") f.flags.clear();
    if (f.categories == "-") f.categories.clear();
    out[name] = f;
  }
  return out;
}

std::string sorted_flags(const CommandSpec& spec) {
  auto names = flag_names(spec);
  std::sort(names.begin(), names.end());
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ",") + std::string(n);
  return out;
}

std::string sorted_categories(const CommandSpec& spec) {
  std::vector<std::string> names;
  for (uint32_t i = 0; i < acl_bits::kCount; ++i) {
    if (spec.acl & (1u << i)) names.emplace_back(acl_category_name(i));
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

}  // namespace

TEST_CASE("every command table row states Redis's own facts") {
  auto redis = redis_commands();
  REQUIRE(redis.size() > 300);
  const CommandTable& table = CommandTable::get();
  size_t checked = 0;
  for (const auto& [name, facts] : redis) {
    INFO(name);
    const CommandSpec* spec = table.find(name);
    if (spec == nullptr && name.find('|') != std::string::npos) {
      // A container refused as a whole (ACL, CONFIG, ...) needs no rows for its subcommands.
      const CommandSpec* container = table.find(name.substr(0, name.find('|')));
      REQUIRE(container != nullptr);
      CHECK(container->op == Op::kDenied);
      ++checked;
      continue;
    }
    REQUIRE(spec != nullptr);  // every Redis command has a row
    CHECK(spec->arity == facts.arity);
    CHECK(spec->first == facts.first);
    CHECK(spec->last == facts.last);
    CHECK(spec->step == facts.step);
    CHECK(sorted_flags(*spec) == facts.flags);
    CHECK(sorted_categories(*spec) == facts.categories);
    ++checked;
  }
  // ... and every row is a Redis command, except preshard's own.
  for (const CommandSpec* spec : table.top_level()) {
    INFO(spec->name);
    CHECK((redis.count(std::string(spec->name)) == 1 || spec->has(kProxyOnly)));
    for (const CommandSpec* sub : table.subcommands(spec->name)) {
      INFO(sub->name);
      CHECK((redis.count(std::string(sub->name)) == 1 || sub->has(kProxyOnly)));
    }
  }
  CHECK(checked == redis.size());
}
