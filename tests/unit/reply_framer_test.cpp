#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "preshard/resp/encode.hpp"
#include "preshard/resp/reply_framer.hpp"

using preshard::resp::FrameStatus;
using preshard::resp::ReplyFramer;

namespace {

// Frames `input` fed in pieces of `piece` bytes; returns the replies, or "ERROR" last on error.
std::vector<std::string> frame(const std::string& input, size_t piece) {
  ReplyFramer f;
  std::vector<std::string> out;
  for (size_t pos = 0; pos < input.size(); pos += piece) {
    f.feed(std::string_view(input).substr(pos, piece));
    std::string_view r;
    FrameStatus st;
    while ((st = f.next(r)) == FrameStatus::kReply) out.emplace_back(r);
    if (st == FrameStatus::kError) {
      out.emplace_back("ERROR");
      return out;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("replies are framed byte-exact, however the bytes arrive") {
  const std::vector<std::string> replies = {
      "+OK\r\n",
      "-ERR wrong\r\n",
      ":42\r\n",
      "$5\r\nhello\r\n",
      "$-1\r\n",
      "*-1\r\n",
      "*0\r\n",
      "*3\r\n$1\r\na\r\n*2\r\n:1\r\n$-1\r\n+x\r\n",
      std::string("$6\r\na\r\nb\0c\r\n", 12),
  };
  std::string all;
  for (const auto& r : replies) all += r;
  for (size_t piece : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, all.size()}) {
    INFO("piece " << piece);
    CHECK(frame(all, piece) == replies);
  }
}

TEST_CASE("many small replies across buffer compactions stay aligned") {
  std::vector<std::string> replies;
  std::string all;
  for (int i = 0; i < 5000; ++i) {
    std::string r = i % 3 == 0 ? "+OK\r\n" : ":" + std::to_string(i) + "\r\n";
    if (i % 7 == 0) r = "$" + std::to_string(i % 50) + "\r\n" + std::string(i % 50, 'x') + "\r\n";
    replies.push_back(r);
    all += r;
  }
  for (size_t piece : {size_t{1}, size_t{100}, size_t{4096}, size_t{65536}, all.size()}) {
    INFO("piece " << piece);
    CHECK(frame(all, piece) == replies);
  }
}

TEST_CASE("a large bulk reply arrives whole") {
  std::string big(5 * 1024 * 1024, 'z');
  std::string r = "$" + std::to_string(big.size()) + "\r\n" + big + "\r\n";
  auto out = frame(r + "+OK\r\n", 64 * 1024);
  REQUIRE(out.size() == 2);
  CHECK(out[0] == r);
  CHECK(out[1] == "+OK\r\n");
}

TEST_CASE("a bulk of known length gets its whole room at once, up to the limit") {
  // Received as a connection does: prepare a 64 KB read, commit what came. Once the length line
  // is framed, the buffer grows once to hold all of it; it never moves again for that reply.
  constexpr size_t kRead = 64 * 1024;
  std::string value(1 << 20, 'q');
  std::string r = "*2\r\n:7\r\n$" + std::to_string(value.size()) + "\r\n" + value + "\r\n";
  for (size_t limit : {size_t{0}, size_t{2} << 20}) {
    INFO("limit " << limit);
    ReplyFramer f;
    std::string_view reply;
    size_t at = 0, moves = 0;
    const char* expect = nullptr;
    while (at < r.size()) {
      char* p = f.prepare(kRead, limit);
      if (expect != nullptr && p != expect) ++moves;
      size_t n = std::min(kRead, r.size() - at);
      std::memcpy(p, r.data() + at, n);
      f.commit(n);
      at += n;
      expect = p + n;
      if (at < r.size()) REQUIRE(f.next(reply) == FrameStatus::kNeedMore);
    }
    REQUIRE(f.next(reply) == FrameStatus::kReply);
    CHECK(reply == r);
    if (limit == 0) {
      CHECK(moves >= 4);  // doubling: 128 KB, 256 KB, 512 KB, 1 MB, 2 MB
    } else {
      CHECK(moves == 1);  // the first 64 KB's buffer, then one of the reply's size
    }
  }
}

TEST_CASE("a malformed reply is an error, after the whole replies before it") {
  for (const char* bad :
       {"?x\r\n", "$3\r\nabcd\r\n", "$-2\r\n", "$x\r\n", "*-2\r\n", ":1.5\r\n", ":\r\n",
        "+a\rb\r\n", "#x\r\n", "_1\r\n", "~-1\r\n", "!-1\r\n", "=3\r\ntxt\r\n", "=4\r\ntxt;\r\n",
        "*01\r\n:1\r\n", "*2\r\n:1\r\n?\r\n"}) {
    INFO(bad);
    for (size_t piece : {size_t{1}, size_t{64}}) {
      auto out = frame(std::string("+OK\r\n") + bad, piece);
      REQUIRE(out.size() == 2);
      CHECK(out[0] == "+OK\r\n");
      CHECK(out[1] == "ERROR");
    }
  }
  ReplyFramer f;
  f.feed("?x\r\n");
  std::string_view r;
  CHECK(f.next(r) == FrameStatus::kError);
  CHECK(f.error() == "Protocol error, got \"?\" as reply type byte");
  CHECK(f.next(r) == FrameStatus::kError);  // stays failed until reset
}

TEST_CASE("nesting has no depth limit (hiredis 0.14 stops at 7)") {
  for (int depth : {8, 9, 100, 100000}) {
    std::string r;
    for (int i = 0; i < depth; ++i) r += "*1\r\n";
    r += ":1\r\n";
    INFO("depth " << depth);
    auto out = frame(r + "+OK\r\n", depth > 1000 ? 4096 : 1);
    REQUIRE(out.size() == 2);
    CHECK(out[0] == r);
  }
}

TEST_CASE("RESP3 replies frame, attributes with the reply they describe") {
  const std::vector<std::string> replies = {
      "%2\r\n+a\r\n:1\r\n+b\r\n*1\r\n_\r\n",
      "~2\r\n#t\r\n#f\r\n",
      ">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n",
      ",3.14\r\n",
      "(12345678901234567890\r\n",
      "=7\r\ntxt:abc\r\n",
      "!5\r\nERR x\r\n",
      "|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n",
      "*2\r\n|1\r\n+k\r\n:1\r\n:7\r\n:8\r\n",
      "%0\r\n",
      "~0\r\n",
  };
  std::string all;
  for (const auto& r : replies) all += r;
  for (size_t piece : {size_t{1}, size_t{5}, all.size()}) {
    INFO("piece " << piece);
    CHECK(frame(all, piece) == replies);
  }
}

TEST_CASE("a long status line arriving in pieces is searched once") {
  std::string line = "+" + std::string(3 * 1024 * 1024, 'a') + "\r\n";
  auto out = frame(line + ":1\r\n", 1024);
  REQUIRE(out.size() == 2);
  CHECK(out[0] == line);
  CHECK(out[1] == ":1\r\n");
}

TEST_CASE("reset drops a partial reply") {
  ReplyFramer f;
  f.feed("$10\r\nabc");
  std::string_view r;
  CHECK(f.next(r) == FrameStatus::kNeedMore);
  f.reset();
  f.feed("+OK\r\n");
  REQUIRE(f.next(r) == FrameStatus::kReply);
  CHECK(r == "+OK\r\n");
}

TEST_CASE("encoders") {
  std::string out;
  preshard::resp::append_simple(out, "OK");
  preshard::resp::append_error(out, "ERR x");
  preshard::resp::append_integer(out, -12);
  preshard::resp::append_bulk(out, "ab");
  preshard::resp::append_nil(out);
  preshard::resp::append_array_header(out, 2);
  CHECK(out == "+OK\r\n-ERR x\r\n:-12\r\n$2\r\nab\r\n$-1\r\n*2\r\n");
  preshard::resp::Request req{"SET", "k", ""};
  CHECK(preshard::resp::encode_command(req) == "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
}
