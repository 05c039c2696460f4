#include <catch2/catch.hpp>

#include "preshard/fanout/merger.hpp"
#include "preshard/fanout/scan_cursor.hpp"
#include "preshard/fanout/split.hpp"

using preshard::command::Merge;
using preshard::fanout::Merger;
using preshard::fanout::split;
using preshard::resp::Request;

namespace {

std::vector<std::string> args_of(const Request& r) {
  std::vector<std::string> v;
  for (size_t i = 0; i < r.size(); ++i) v.emplace_back(r[i]);
  return v;
}

using Args = std::vector<std::string>;

// The merged answer when part i answers replies[i], in that order.
std::string merged(Merge rule, const preshard::fanout::SplitPlan& plan, const Args& replies,
                   uint64_t seed = 0) {
  Merger m(rule, plan, seed);
  for (size_t i = 0; i < replies.size(); ++i) m.add_reply(i, replies[i]);
  return m.result();
}

}  // namespace

TEST_CASE("keys are grouped into one part per shard, in first-seen order") {
  Request req{"MGET", "a", "b", "c", "a", "d"};
  auto plan = split(req, 1, 1, {7, 3, 7, 7, 3});
  REQUIRE(plan.parts.size() == 2);
  CHECK(plan.key_count == 5);
  CHECK(plan.parts[0].shard == 7);
  CHECK(args_of(plan.parts[0].request) == Args{"MGET", "a", "c", "a"});
  CHECK(plan.parts[0].key_index == std::vector<uint32_t>{0, 2, 3});
  CHECK(plan.parts[1].shard == 3);
  CHECK(args_of(plan.parts[1].request) == Args{"MGET", "b", "d"});
  CHECK(plan.parts[1].key_index == std::vector<uint32_t>{1, 4});
}

TEST_CASE("MSET keeps each value with its key") {
  Request req{"MSET", "a", "1", "b", "2", "c", "3"};
  auto plan = split(req, 1, 2, {0, 1, 0});
  REQUIRE(plan.parts.size() == 2);
  CHECK(args_of(plan.parts[0].request) == Args{"MSET", "a", "1", "c", "3"});
  CHECK(args_of(plan.parts[1].request) == Args{"MSET", "b", "2"});
}

TEST_CASE("MGET replies are put back in request order") {
  Request req{"MGET", "a", "b", "c", "a"};
  auto plan = split(req, 1, 1, {1, 2, 1, 1});
  Merger m(Merge::kMget, plan);
  m.add_reply(1, "*1\r\n$-1\r\n");  // b: missing
  CHECK_FALSE(m.done());
  m.add_reply(0, "*3\r\n$2\r\nva\r\n$2\r\nvc\r\n$2\r\nva\r\n");
  REQUIRE(m.done());
  CHECK(m.result() == "*4\r\n$2\r\nva\r\n$-1\r\n$2\r\nvc\r\n$2\r\nva\r\n");
}

TEST_CASE("sums and all-OK") {
  Request req{"DEL", "a", "b", "c"};
  auto plan = split(req, 1, 1, {0, 1, 2});
  Merger sum(Merge::kSum, plan);
  sum.add_reply(2, ":1\r\n");
  sum.add_reply(0, ":2\r\n");
  sum.add_reply(1, ":0\r\n");
  CHECK(sum.result() == ":3\r\n");
  Merger ok(Merge::kAllOk, plan);
  for (size_t i = 0; i < 3; ++i) ok.add_reply(i, "+OK\r\n");
  CHECK(ok.result() == "+OK\r\n");
}

TEST_CASE("any failing part makes one error naming every failing shard") {
  Request req{"MSET", "a", "1", "b", "2", "c", "3"};
  auto plan = split(req, 1, 2, {4, 9, 2});
  Merger m(Merge::kAllOk, plan);
  m.add_reply(0, "+OK\r\n");
  m.add_failure(2, "ERR shard 2 is unavailable (connection refused)");
  m.add_reply(1, "-OOM command not allowed when used memory > 'maxmemory'.\r\n");
  REQUIRE(m.done());
  CHECK(m.result() ==
        "-ERR failed on shards 2, 9 (first error: ERR shard 2 is unavailable (connection "
        "refused))\r\n");
}

TEST_CASE("the same error from every shard is answered as the instances worded it") {
  auto plan = preshard::fanout::broadcast(Request{"FLUSHALL", "FOO"}, 3);
  const std::string syntax = "-ERR syntax error\r\n";
  CHECK(merged(Merge::kAllOk, plan, {syntax, syntax, syntax}) == syntax);
  // Some shards succeeded: the shards that failed are named.
  CHECK(merged(Merge::kAllOk, plan, {syntax, "+OK\r\n", syntax}) ==
        "-ERR failed on shards 0, 2 (first error: ERR syntax error)\r\n");
  // Different errors, or one made by the proxy: named as well.
  CHECK(merged(Merge::kAllOk, plan, {syntax, "-OOM command not allowed\r\n", syntax})
            .rfind("-ERR failed on shards 0, 1, 2 (first error: ERR syntax", 0) == 0);
  Merger proxy_made(Merge::kAllOk, plan);
  proxy_made.add_failure(0, "ERR syntax error");
  proxy_made.add_reply(1, syntax);
  proxy_made.add_reply(2, syntax);
  CHECK(proxy_made.result().rfind("-ERR failed on shards 0, 1, 2", 0) == 0);
}

TEST_CASE("a reply of the wrong shape is a failure, not a crash") {
  Request req{"MGET", "a", "b"};
  auto plan = split(req, 1, 1, {0, 1});
  Merger m(Merge::kMget, plan);
  m.add_reply(0, "*2\r\n$1\r\nx\r\n$1\r\ny\r\n");  // two values for one key
  m.add_reply(1, "garbage");
  CHECK(m.result().rfind("-ERR failed on shards 0, 1", 0) == 0);
}

TEST_CASE("broadcast sends the same command to every shard") {
  auto plan = preshard::fanout::broadcast(Request{"DBSIZE"}, 3);
  REQUIRE(plan.parts.size() == 3);
  for (size_t s = 0; s < 3; ++s) {
    CHECK(plan.parts[s].shard == s);
    CHECK(args_of(plan.parts[s].request) == Args{"DBSIZE"});
  }
}

TEST_CASE("whole-keyspace merges") {
  auto plan = preshard::fanout::broadcast(Request{"X"}, 3);
  CHECK(merged(Merge::kConcat, plan,
               {"*1\r\n$1\r\na\r\n", "*0\r\n", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"}) ==
        "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  CHECK(merged(Merge::kAnd, plan,
               {"*2\r\n:1\r\n:1\r\n", "*2\r\n:1\r\n:0\r\n", "*2\r\n:1\r\n:1\r\n"}) ==
        "*2\r\n:1\r\n:0\r\n");

  const std::string abc = "$3\r\nabc\r\n";
  CHECK(merged(Merge::kAllSame, plan, {abc, abc, abc}) == abc);
  CHECK(merged(Merge::kAllSame, plan, {abc, "$3\r\nabd\r\n", abc}) ==
        "-ERR failed on shard 1 (first error: ERR shards gave different replies)\r\n");

  // seed 1 picks the second non-empty shard
  CHECK(merged(Merge::kRandom, plan, {"$-1\r\n", "$1\r\nx\r\n", "$1\r\ny\r\n"}, 1) ==
        "$1\r\ny\r\n");
  CHECK(merged(Merge::kRandom, plan, {"$-1\r\n", "$-1\r\n", "$-1\r\n"}, 1) == "$-1\r\n");

  const std::string notbusy = "-NOTBUSY No scripts in execution right now.\r\n";
  CHECK(merged(Merge::kOneOk, plan, {notbusy, "+OK\r\n", notbusy}) == "+OK\r\n");
  CHECK(merged(Merge::kOneOk, plan, {notbusy, notbusy, notbusy}) == notbusy);
}

TEST_CASE("SCAN cursors encode the shard and its own cursor") {
  using preshard::fanout::decode_scan_cursor;
  using preshard::fanout::next_scan_cursor;
  auto p = decode_scan_cursor("0", 128);
  REQUIRE(p);
  CHECK((p->shard == 0 && p->cursor == 0));
  // Shard 5 answered cursor 17: continue there.
  auto c = next_scan_cursor(5, 17, 128);
  REQUIRE(c);
  p = decode_scan_cursor(*c, 128);
  CHECK((p->shard == 5 && p->cursor == 17));
  // Shard 5 finished: shard 6 from the start; the last shard finished: 0, the end.
  CHECK(*next_scan_cursor(5, 0, 128) == "6");
  p = decode_scan_cursor("6", 128);
  CHECK((p->shard == 6 && p->cursor == 0));
  CHECK(*next_scan_cursor(127, 0, 128) == "0");
  // Invalid cursors, as Redis refuses them.
  CHECK_FALSE(decode_scan_cursor("", 128));
  CHECK_FALSE(decode_scan_cursor("-1", 128));
  CHECK_FALSE(decode_scan_cursor("12x", 128));
  CHECK_FALSE(decode_scan_cursor("99999999999999999999999", 128));
  CHECK(decode_scan_cursor("18446744073709551615", 128));
  CHECK_FALSE(next_scan_cursor(1, UINT64_MAX / 64, 128));
}

TEST_CASE("pub/sub introspection merges") {
  auto plan = preshard::fanout::broadcast(Request{"PUBSUB", "NUMSUB", "a", "b"}, 3);
  Merger numsub(Merge::kPairSum, plan);
  numsub.add_reply(0, "*4\r\n$1\r\na\r\n:2\r\n$1\r\nb\r\n:0\r\n");
  numsub.add_reply(2, "*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:5\r\n");
  numsub.add_reply(1, "*4\r\n$1\r\na\r\n:0\r\n$1\r\nb\r\n:0\r\n");
  CHECK(numsub.result() == "*4\r\n$1\r\na\r\n:3\r\n$1\r\nb\r\n:5\r\n");

  Merger mismatch(Merge::kPairSum, plan);
  mismatch.add_reply(0, "*2\r\n$1\r\na\r\n:2\r\n");
  mismatch.add_reply(1, "*0\r\n");
  mismatch.add_reply(2, "*2\r\n$1\r\na\r\n:2\r\n");
  CHECK(mismatch.result() ==
        "-ERR failed on shard 1 (first error: ERR unexpected reply from instance)\r\n");

  Merger numpat(Merge::kMax, plan);
  numpat.add_reply(0, ":2\r\n");
  numpat.add_reply(1, ":7\r\n");
  numpat.add_reply(2, ":0\r\n");
  CHECK(numpat.result() == ":7\r\n");
}

TEST_CASE("INFO keyspace summed over shards") {
  preshard::fanout::KeyspaceSum sum;
  CHECK(sum.add("# Keyspace\r\ndb0:keys=10,expires=2,avg_ttl=1000\r\n"));
  CHECK(sum.add("# Keyspace\r\n"));
  CHECK(sum.add("db0:keys=3,expires=3,avg_ttl=0\r\n"));  // not estimated yet: no weight
  CHECK(
      sum.add("# Keyspace\r\ndb0:keys=5,expires=2,avg_ttl=3000\r\ndb2:keys=1,expires=0,avg_ttl=0"));
  CHECK(sum.render() ==
        "# Keyspace\r\ndb0:keys=18,expires=7,avg_ttl=2000\r\ndb2:keys=1,expires=0,avg_ttl=0\r\n");
  preshard::fanout::KeyspaceSum bad;
  CHECK_FALSE(bad.add("db0:keys=x\r\n"));
  CHECK_FALSE(bad.add("nonsense\r\n"));
  CHECK(preshard::fanout::KeyspaceSum().render() == "# Keyspace\r\n");
}
