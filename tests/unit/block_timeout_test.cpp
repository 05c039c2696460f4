#include <catch2/catch.hpp>

#include <chrono>
#include <optional>

#include "preshard/command/block_timeout.hpp"
#include "preshard/command/command_table.hpp"

using preshard::command::block_timeout;
using preshard::command::lookup;
using preshard::command::LookupStatus;
using preshard::resp::Request;
using std::chrono::milliseconds;

namespace {

std::optional<milliseconds> of(const Request& req) {
  auto lk = lookup(req);
  REQUIRE(lk.status == LookupStatus::kOk);
  return block_timeout(*lk.spec, req);
}

}  // namespace

TEST_CASE("a blocking command's own timeout, read as Redis reads it") {
  CHECK(of(Request{"BLPOP", "a", "b", "1.5"}) == milliseconds(1500));
  CHECK(of(Request{"brpop", "a", "0.0001"}) == milliseconds(1));  // rounded up, as ceill()
  CHECK(of(Request{"BRPOPLPUSH", "a", "b", "2"}) == milliseconds(2000));
  CHECK(of(Request{"BLMOVE", "a", "b", "LEFT", "RIGHT", "3"}) == milliseconds(3000));
  CHECK(of(Request{"BLMPOP", "0.25", "1", "l", "LEFT"}) == milliseconds(250));
  CHECK(of(Request{"BZMPOP", "4", "1", "z", "MIN"}) == milliseconds(4000));
  CHECK(of(Request{"BZPOPMIN", "z", "1e1"}) == milliseconds(10000));
  CHECK(of(Request{"WAIT", "1", "250"}) == milliseconds(250));
  CHECK(of(Request{"XREAD", "COUNT", "2", "BLOCK", "700", "STREAMS", "s", "$"}) ==
        milliseconds(700));
  CHECK(of(Request{"XREADGROUP", "GROUP", "g", "c", "BLOCK", "5", "STREAMS", "s", ">"}) ==
        milliseconds(5));
}

TEST_CASE("a timeout of 0 blocks forever; a bad one is refused at once") {
  CHECK(of(Request{"BLPOP", "a", "0"}) == std::nullopt);
  CHECK(of(Request{"BLPOP", "a", "0.0"}) == std::nullopt);
  CHECK(of(Request{"WAIT", "1", "0"}) == std::nullopt);
  CHECK(of(Request{"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}) == std::nullopt);
  for (const char* bad : {"-1", "x", "", "1s", "nan", "inf", "1e300"}) {
    INFO(bad);
    CHECK(of(Request{"BLPOP", "a", bad}) == milliseconds(0));
  }
  CHECK(of(Request{"WAIT", "1", "1.5"}) == milliseconds(0));  // WAIT takes whole milliseconds
  CHECK(of(Request{"XREAD", "STREAMS", "s", "$"}) == milliseconds(0));  // not blocking at all
}
