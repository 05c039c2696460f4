#include <catch2/catch.hpp>

#include <string>

#include "preshard/resp/reply_view.hpp"
#include "preshard/resp/reply_writer.hpp"

using preshard::resp::ReplyType;
using preshard::resp::ReplyView;

namespace {
std::string bulk(const std::string& v) {
  return "$" + std::to_string(v.size()) + "\r\n" + v + "\r\n";
}
}  // namespace

TEST_CASE("a reply view parses one reply, and each element keeps its exact bytes") {
  ReplyView v;
  std::string raw = "*3\r\n$1\r\na\r\n:5\r\n*1\r\n$-1\r\n";
  REQUIRE(v.parse(raw));
  auto r = v.root();
  CHECK(r.is(ReplyType::kArray));
  CHECK(r.size() == 3);
  CHECK(r.raw() == raw);
  CHECK(r[0].str() == "a");
  CHECK(r[0].raw() == "$1\r\na\r\n");
  CHECK(r[1].integer() == 5);
  CHECK(r[2].raw() == "*1\r\n$-1\r\n");
  CHECK(r[2].first().is(ReplyType::kNil));
  CHECK_FALSE(v.parse("+OK\r\n+OK\r\n"));
  CHECK_FALSE(v.parse("$5\r\nab"));
}

TEST_CASE("a reply view parses alike after failures, many replies and a huge one") {
  ReplyView v;
  // A partial, a trailing-garbage and a malformed reply leave nothing behind for the next one.
  for (const char* bad : {"*2\r\n$1\r\na\r\n", "+OK\r\n+OK\r\n", "?what\r\n", ""}) {
    CHECK_FALSE(v.parse(bad));
    std::string next = bulk("next");  // a view: the bytes must outlive it
    REQUIRE(v.parse(next));
    CHECK(v.root().str() == "next");
  }
  for (int i = 0; i < 2000; ++i) {
    std::string raw = bulk("value-" + std::to_string(i));
    REQUIRE(v.parse(raw));
    REQUIRE(v.root().str() == "value-" + std::to_string(i));
  }
  std::string big(1 << 20, 'x');
  std::string raw = bulk(big);
  REQUIRE(v.parse(raw));
  CHECK(v.root().str().size() == big.size());
  REQUIRE(v.parse(":42\r\n"));
  CHECK(v.root().integer() == 42);
}

TEST_CASE("a reply view has no depth limit") {
  // hiredis stops at 7 levels; Redis itself nests deeper (EVAL "return {{{{{{{{{1}}}}}}}}}").
  std::string raw;
  for (int i = 0; i < 1000; ++i) raw += "*1\r\n";
  raw += ":1\r\n";
  ReplyView v;
  REQUIRE(v.parse(raw));
  auto r = v.root();
  for (int i = 0; i < 1000; ++i) r = r.first();
  CHECK(r.integer() == 1);
  CHECK_FALSE(v.parse(raw.substr(0, raw.size() - 2)));
}

TEST_CASE("a reply view reads every RESP3 type and skips attributes") {
  ReplyView v;
  std::string raw = "%2\r\n+a\r\n,3.5\r\n+b\r\n~2\r\n#t\r\n_\r\n";  // {a: 3.5, b: {true, null}}
  REQUIRE(v.parse(raw));
  auto m = v.root();
  CHECK(m.is(ReplyType::kMap));
  CHECK(m.size() == 4);
  CHECK(m[1].is(ReplyType::kDouble));
  CHECK(m[1].str() == "3.5");
  CHECK(m[3].is(ReplyType::kSet));
  CHECK(m[3][0].is(ReplyType::kBoolean));
  CHECK(m[3][0].integer() == 1);
  CHECK(m[3][1].is(ReplyType::kNil));
  REQUIRE(v.parse("=15\r\ntxt:Some string\r\n"));
  CHECK(v.root().is(ReplyType::kVerbatim));
  CHECK(v.root().str() == "Some string");
  REQUIRE(v.parse("(3492890328409238509324850943850943825024385\r\n"));
  CHECK(v.root().is(ReplyType::kBigNumber));
  REQUIRE(v.parse("!9\r\nSYNTAX xy\r\n"));
  CHECK(v.root().is(ReplyType::kError));
  CHECK(v.root().str() == "SYNTAX xy");
  REQUIRE(v.parse(">2\r\n$7\r\nmessage\r\n$1\r\nc\r\n"));
  CHECK(v.root().is(ReplyType::kPush));
  // An attribute before a reply, and one before an element, are dropped.
  REQUIRE(v.parse("|1\r\n+ttl\r\n:3\r\n*2\r\n|1\r\n+k\r\n*1\r\n:0\r\n:1\r\n:2\r\n"));
  CHECK(v.root().is(ReplyType::kArray));
  REQUIRE(v.root().size() == 2);
  CHECK(v.root()[0].integer() == 1);
  CHECK(v.root()[1].integer() == 2);
  // An attribute inside an attribute (found by the framer fuzzer): it describes the key it
  // precedes and completes nothing itself.
  REQUIRE(v.parse("|1\r\n|1\r\n+k\r\n:1\r\n>2\r\n$1\r\na\r\n(123\r\n+k\r\n:1\r\n"));
  CHECK(v.root().is(ReplyType::kInteger));
  CHECK(v.root().raw() == ":1\r\n");
  CHECK_FALSE(v.parse("#x\r\n"));
  CHECK_FALSE(v.parse("=2\r\nab\r\n"));  // verbatim needs its "txt:" format
}

TEST_CASE("the reply writer writes RESP2 as Redis writes it to a RESP2 client") {
  std::string out;
  preshard::resp::ReplyWriter w(out);
  w.map(1);
  w.bulk("k");
  w.boolean(true);
  w.set(1);
  w.null();
  w.push(0);
  w.verbatim("txt");
  w.null_array();
  w.error("ERR x");
  w.simple("OK");
  w.integer(-3);
  CHECK(out ==
        "*2\r\n$1\r\nk\r\n:1\r\n*1\r\n$-1\r\n*0\r\n$3\r\ntxt\r\n*-1\r\n-ERR x\r\n+OK\r\n:-3\r\n");
}

TEST_CASE("the reply writer writes RESP3 as Redis writes it to a RESP3 client") {
  std::string out;
  preshard::resp::ReplyWriter w(out, preshard::resp::Protocol::kResp3);
  w.map(1);
  w.bulk("k");
  w.boolean(true);
  w.set(1);
  w.null();
  w.push(0);
  w.verbatim("txt");
  w.null_array();
  w.boolean(false);
  w.array(0);
  CHECK(out == "%1\r\n$1\r\nk\r\n#t\r\n~1\r\n_\r\n>0\r\n=7\r\ntxt:txt\r\n_\r\n#f\r\n*0\r\n");
  // What it writes parses as the types it meant.
  preshard::resp::ReplyView v;
  REQUIRE(v.parse("=7\r\ntxt:txt\r\n"));
  CHECK(v.root().is(ReplyType::kVerbatim));
  CHECK(v.root().str() == "txt");
}
