#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "preshard/resp/reply_framer.hpp"

using preshard::resp::FrameStatus;
using preshard::resp::ReplyFramer;

namespace {

struct Streamed {
  std::vector<std::string> whole;  // replies framed whole
  std::string parts;               // the streamed reply, its parts joined
  size_t part_count = 0;
  size_t most_buffered = 0;  // largest begun_bytes() seen once streaming: memory stays bounded
  bool error = false;
};

// Feeds `input` in pieces of `piece` bytes; a reply begun with at least `threshold` bytes
// buffered is streamed.
Streamed stream(const std::string& input, size_t piece, size_t threshold) {
  ReplyFramer f;
  Streamed out;
  for (size_t pos = 0; pos < input.size() && !out.error; pos += piece) {
    f.feed(std::string_view(input).substr(pos, piece));
    while (true) {
      std::string_view r;
      if (f.streaming()) {
        bool last = false;
        out.most_buffered = std::max(out.most_buffered, f.begun_bytes());
        FrameStatus st = f.next_part(r, last);
        if (st == FrameStatus::kError) out.error = true;
        if (st != FrameStatus::kReply) break;
        out.parts.append(r);
        ++out.part_count;
        continue;
      }
      FrameStatus st = f.next(r);
      if (st == FrameStatus::kError) out.error = true;
      if (st == FrameStatus::kReply) {
        out.whole.emplace_back(r);
        continue;
      }
      if (st == FrameStatus::kNeedMore && f.begun_bytes() >= threshold) {
        f.begin_stream();
        continue;
      }
      break;
    }
  }
  return out;
}

std::string bulk(size_t n, char fill = 'x') {
  return "$" + std::to_string(n) + "\r\n" + std::string(n, fill) + "\r\n";
}

}  // namespace

TEST_CASE("a large bulk reply is handed out in parts, byte-exact, without being gathered") {
  std::string big = bulk(1 << 20);
  std::string input = "+OK\r\n" + big + ":7\r\n";
  for (size_t piece : {size_t{1000}, size_t{4096}, size_t{65536}}) {
    Streamed s = stream(input, piece, 16384);
    CHECK_FALSE(s.error);
    CHECK(s.whole == std::vector<std::string>{"+OK\r\n", ":7\r\n"});
    CHECK(s.parts == big);
    CHECK(s.part_count > 10);
    CHECK(s.most_buffered <= 16384 + 2 * piece);
  }
}

TEST_CASE("an array of large bulks streams whole elements and bodies as they come") {
  std::string reply = "*3\r\n" + bulk(300000, 'a') + "$-1\r\n" + bulk(200000, 'b');
  std::string input = reply + "+after\r\n";
  for (size_t piece : {size_t{3}, size_t{7}, size_t{65536}}) {
    Streamed s = stream(input, piece, 1024);
    CHECK_FALSE(s.error);
    CHECK(s.parts == reply);
    CHECK(s.whole == std::vector<std::string>{"+after\r\n"});
  }
}

TEST_CASE("a streamed bulk must still end in CRLF, wherever the pieces split") {
  std::string bad = "$100000\r\n" + std::string(100000, 'x') + "\rX";
  for (size_t piece : {size_t{1}, size_t{99999}, size_t{100010}, size_t{65536}}) {
    Streamed s = stream(bad, piece, 1024);
    CHECK(s.error);
    CHECK(s.parts.size() <= 9 + 100000 + 1);
  }
  std::string bad2 = "$100000\r\n" + std::string(100000, 'x') + "X\n";
  CHECK(stream(bad2, 4096, 1024).error);
}

TEST_CASE("after a streamed reply, whole replies frame again") {
  std::string input;
  for (int i = 0; i < 5; ++i) input += bulk(50000) + "$3\r\nabc\r\n";
  Streamed s = stream(input, 8192, 4096);
  CHECK_FALSE(s.error);
  CHECK(s.whole == std::vector<std::string>(5, "$3\r\nabc\r\n"));
  CHECK(s.parts.size() == 5 * bulk(50000).size());
}
