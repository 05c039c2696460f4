#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "preshard/resp/request_reader.hpp"

using preshard::resp::ReaderLimits;
using preshard::resp::ReadStatus;
using preshard::resp::Request;
using preshard::resp::RequestReader;

namespace {

struct Parsed {
  std::vector<std::vector<std::string>> commands;
  std::string error;  // empty unless the reader failed
};

std::vector<std::string> args_of(const Request& r) {
  std::vector<std::string> v;
  for (size_t i = 0; i < r.size(); ++i) v.emplace_back(r[i]);
  return v;
}

// Feeds `input` in pieces of the given sizes (the last piece repeats).
Parsed feed(const std::string& input, const std::vector<size_t>& pieces, ReaderLimits limits = {}) {
  RequestReader reader(limits);
  Parsed p;
  Request req;
  size_t pos = 0, k = 0;
  while (pos < input.size()) {
    size_t n = std::min(pieces[std::min(k++, pieces.size() - 1)], input.size() - pos);
    std::string_view chunk(input.data() + pos, n);
    pos += n;
    while (true) {
      ReadStatus st = reader.next(chunk, req);
      if (st == ReadStatus::kRequest) {
        p.commands.push_back(args_of(req));
        continue;
      }
      if (st == ReadStatus::kError) {
        p.error = reader.error();
        return p;
      }
      REQUIRE(chunk.empty());
      break;
    }
  }
  return p;
}

// The same result whether fed whole, byte by byte, or split in two at every offset.
Parsed parse_all_ways(const std::string& input, ReaderLimits limits = {}) {
  Parsed whole = feed(input, {input.size() == 0 ? 1 : input.size()}, limits);
  Parsed bytes = feed(input, {1}, limits);
  REQUIRE(bytes.commands == whole.commands);
  REQUIRE(bytes.error == whole.error);
  for (size_t split = 1; split < input.size(); ++split) {
    Parsed two = feed(input, {split, input.size()}, limits);
    REQUIRE(two.commands == whole.commands);
    REQUIRE(two.error == whole.error);
  }
  return whole;
}

using Cmds = std::vector<std::vector<std::string>>;

}  // namespace

TEST_CASE("multibulk commands, pipelined") {
  auto p = parse_all_ways("*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$0\r\n\r\n");
  CHECK(p.error.empty());
  CHECK(p.commands == Cmds{{"PING"}, {"SET", "a", ""}});
}

TEST_CASE("binary-safe arguments keep CR, LF and NUL") {
  std::string v("a\r\nb\0c", 6);
  auto p = parse_all_ways("*2\r\n$4\r\nECHO\r\n$6\r\n" + v + "\r\n");
  CHECK(p.commands == Cmds{{"ECHO", v}});
}

TEST_CASE("empty and negative multibulk counts are skipped, as Redis does") {
  auto p = parse_all_ways("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n");
  CHECK(p.commands == Cmds{{"PING"}});
}

TEST_CASE("the two bytes after a bulk are skipped unchecked, as Redis does") {
  auto p = parse_all_ways("*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n");
  CHECK(p.commands == Cmds{{"PING"}, {"PING"}});
}

TEST_CASE("inline commands") {
  auto p = parse_all_ways("PING\r\nSET a b\n\r\n  \r\nECHO \"a\\x41\\n\" 'x\\'y'\r\n");
  CHECK(p.error.empty());
  CHECK(p.commands == Cmds{{"PING"}, {"SET", "a", "b"}, {"ECHO", "aA\n", "x'y"}});
}

TEST_CASE("protocol errors carry Redis's exact text") {
  struct Case {
    std::string input;
    std::string error;
  };
  const Case cases[] = {
      {"*3000000000\r\n", "Protocol error: invalid multibulk length"},
      {"*+1\r\n", "Protocol error: invalid multibulk length"},
      {"*01\r\n", "Protocol error: invalid multibulk length"},
      {"*1x\n$4\r\n", "Protocol error: invalid multibulk length"},
      {"*1\r\nx\r\n", "Protocol error: expected '$', got 'x'"},
      {"*1\r\n$-1\r\n", "Protocol error: invalid bulk length"},
      {"*1\r\n$abc\r\n", "Protocol error: invalid bulk length"},
      {"*1\r\n$04\r\n", "Protocol error: invalid bulk length"},
      {"*1\r\n$600000000\r\n", "Protocol error: invalid bulk length"},
      {"SET a \"b\r\n", "Protocol error: unbalanced quotes in request"},
      {"SET a \"b\"c\r\n", "Protocol error: unbalanced quotes in request"},
      {"SET a 'b\r\n", "Protocol error: unbalanced quotes in request"},
  };
  for (const auto& c : cases) {
    INFO(c.input);
    auto p = parse_all_ways(c.input);
    CHECK(p.error == c.error);
  }
}

TEST_CASE("commands before a protocol error are still returned") {
  auto p = parse_all_ways("PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n!\r\n");
  CHECK(p.commands == Cmds{{"PING"}, {"PING"}});
  CHECK(p.error == "Protocol error: expected '$', got '!'");
}

TEST_CASE("over-long lines are refused") {
  ReaderLimits small;
  small.max_inline_len = 16;
  CHECK(feed(std::string(17, 'a'), {1}, small).error == "Protocol error: too big inline request");
  CHECK(feed("*" + std::string(17, '1'), {3}, small).error ==
        "Protocol error: too big mbulk count string");
  CHECK(feed("*1\r\n$" + std::string(17, '1'), {5}, small).error ==
        "Protocol error: too big bulk count string");
  // Exactly at the limit (the CR counts, as in Redis's buffer) is fine.
  CHECK(feed(std::string(15, 'a') + "\r\n", {1}, small).commands == Cmds{{std::string(15, 'a')}});
  CHECK(feed(std::string(16, 'a') + "\r\n", {1}, small).error ==
        "Protocol error: too big inline request");
}

TEST_CASE("bulk length and command size limits") {
  ReaderLimits l;
  l.max_bulk_len = 10;
  CHECK(feed("*1\r\n$10\r\n0123456789\r\n", {4}, l).commands == Cmds{{"0123456789"}});
  CHECK(feed("*1\r\n$11\r\n", {4}, l).error == "Protocol error: invalid bulk length");
  l.max_bulk_len = 1 << 20;
  l.max_request_bytes = 64;
  CHECK(feed("*2\r\n$30\r\n" + std::string(30, 'x') + "\r\n$30\r\n", {7}, l).error ==
        "Protocol error: command larger than max_request_bytes");
}

TEST_CASE("a large value arrives intact in small pieces") {
  std::string big(3 * 1024 * 1024 + 7, 'v');
  for (size_t i = 0; i < big.size(); i += 4099) big[i] = static_cast<char>(i % 251);
  std::string input =
      "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + std::to_string(big.size()) + "\r\n" + big + "\r\n";
  auto p = feed(input, {1000});
  REQUIRE(p.commands.size() == 1);
  CHECK(p.commands[0][2] == big);
}

TEST_CASE("a bad bulk line is refused only once its CR is in, as Redis does") {
  RequestReader r;
  Request req;
  std::string_view in = "*1\r\nx";
  CHECK(r.next(in, req) == ReadStatus::kNeedMore);
  std::string_view rest = "yz\r\n";
  CHECK(r.next(rest, req) == ReadStatus::kError);
  CHECK(r.error() == "Protocol error: expected '$', got 'x'");
}

TEST_CASE("after a NUL a line never ends: Redis's strchr() stops there, and it waits") {
  ReaderLimits small;
  small.max_inline_len = 16;
  for (std::string input : {std::string("PI\0NG\r\n", 8), std::string("*1\0\r\n", 6),
                            std::string("*1\r\n$4\0\r\nPING\r\n", 16)}) {
    INFO(input);
    RequestReader r;
    Request req;
    std::string_view in = input;
    CHECK(r.next(in, req) == ReadStatus::kNeedMore);
    std::string_view later = "\r\n\r\nPING\r\n";
    CHECK(r.next(later, req) == ReadStatus::kNeedMore);
  }
  // ... until the line passes the inline limit.
  CHECK(feed(std::string("PI\0NG\r\n", 8) + std::string(20, 'a'), {3}, small).error ==
        "Protocol error: too big inline request");
  CHECK(feed(std::string("*1\0\r\n", 6) + std::string(20, '\n'), {3}, small).error ==
        "Protocol error: too big mbulk count string");
  CHECK(feed(std::string("*1\r\n$\0\r\n", 8) + std::string(20, '\r'), {3}, small).error ==
        "Protocol error: too big bulk count string");
  // A NUL inside a bulk's payload is data.
  CHECK(feed(std::string("*1\r\n$3\r\na\0b\r\n", 13), {1}).commands ==
        Cmds{{std::string("a\0b", 3)}});
}

TEST_CASE("the reader stays in error after a protocol error") {
  RequestReader r;
  Request req;
  std::string_view in = "*1\r\nx\r\n";
  CHECK(r.next(in, req) == ReadStatus::kError);
  std::string_view more = "*1\r\n$4\r\nPING\r\n";
  CHECK(r.next(more, req) == ReadStatus::kError);
}

TEST_CASE("inline arguments end only at space, tab, CR, LF or NUL, as in Redis") {
  // VT and FF are kept inside an argument, but skipped between arguments and accepted after a
  // closing quote (Redis's sdssplitargs: isspace() there, four characters inside a token).
  auto p = parse_all_ways("SET k a\fb\r\nSET k a\vb\r\nSET k \va\r\nSET k 'a'\f\r\n");
  CHECK(p.error.empty());
  CHECK(p.commands ==
        Cmds{{"SET", "k", "a\fb"}, {"SET", "k", "a\vb"}, {"SET", "k", "a"}, {"SET", "k", "a"}});
}

TEST_CASE("a large payload is read straight into the command, in pieces") {
  RequestReader reader;
  Request req;
  std::string value(100000, 'v');
  for (size_t i = 0; i < value.size(); ++i) value[i] = static_cast<char>('a' + i % 26);
  std::string head = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n" + value.substr(0, 1000);
  std::string_view in = head;
  REQUIRE(reader.next(in, req) == ReadStatus::kNeedMore);
  auto [at, room] = reader.direct_room();
  REQUIRE(at != nullptr);
  REQUIRE(room == 99000);
  CHECK(reader.direct_room().first == at);  // asked again: the same place
  std::memcpy(at, value.data() + 1000, 40000);
  reader.direct_commit(40000);
  // Bytes that arrive through the read buffer meanwhile land in place too.
  std::string mid = value.substr(41000, 9000);
  in = mid;
  REQUIRE(reader.next(in, req) == ReadStatus::kNeedMore);
  auto [at2, room2] = reader.direct_room();
  REQUIRE(room2 == 50000);
  std::memcpy(at2, value.data() + 50000, 50000);
  reader.direct_commit(50000);
  CHECK(reader.direct_room().second == 0);  // the payload is complete: its CRLF is read as usual
  std::string tail = "\r\n*1\r\n$4\r\nPING\r\n";
  in = tail;
  REQUIRE(reader.next(in, req) == ReadStatus::kRequest);
  REQUIRE(req.size() == 3);
  CHECK(req[2] == value);
  REQUIRE(reader.next(in, req) == ReadStatus::kRequest);
  CHECK(req[0] == "PING");
}

TEST_CASE("small payloads are not read in place; long ones in place up to their reserved room") {
  RequestReader reader;
  Request req;
  std::string small = "*2\r\n$3\r\nGET\r\n$20000\r\nxx";
  std::string_view in = small;
  REQUIRE(reader.next(in, req) == ReadStatus::kNeedMore);
  CHECK(reader.direct_room().first == nullptr);  // 19,998 bytes to come: under kDirectMin
  // 40 MB: only its first megabyte is reserved until it arrives. That much is read in place,
  // then the copying path reserves the rest.
  RequestReader big;
  std::string huge = "*2\r\n$3\r\nSET\r\n$40000000\r\n";
  in = huge;
  REQUIRE(big.next(in, req) == ReadStatus::kNeedMore);
  for (int step = 0; step < 4; ++step) {
    auto [at, room] = big.direct_room();
    REQUIRE(room == RequestReader::kDirectStep);
    std::memset(at, 'h', room);
    big.direct_commit(room);
  }
  CHECK(big.direct_room().first == nullptr);  // 1 MB in: the room is not reserved yet
  std::string more(100000, 'h');
  in = more;
  REQUIRE(big.next(in, req) == ReadStatus::kNeedMore);
  CHECK(big.direct_room().second == RequestReader::kDirectStep);  // reserved now
}

TEST_CASE("room in place is made a step at a time, and input past it is appended") {
  RequestReader reader;
  Request req;
  // A client announcing 10 MB makes one step resident ahead of what it sent, not 10 MB.
  std::string announce = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10000000\r\n";
  std::string_view in = announce;
  REQUIRE(reader.next(in, req) == ReadStatus::kNeedMore);
  CHECK(reader.direct_room().second == RequestReader::kDirectStep);
  // 300,000 bytes: one step read in place (part of it), the rest arrives through the read
  // buffer: the step's remainder is filled in place, what is past it appended.
  RequestReader r2;
  std::string value(300000, 'x');
  for (size_t i = 0; i < value.size(); ++i) value[i] = static_cast<char>('A' + i % 23);
  std::string head = "*2\r\n$4\r\nECHO\r\n$300000\r\n";
  in = head;
  REQUIRE(r2.next(in, req) == ReadStatus::kNeedMore);
  auto [at, room] = r2.direct_room();
  REQUIRE(room == RequestReader::kDirectStep);
  std::memcpy(at, value.data(), 200000);
  r2.direct_commit(200000);
  std::string rest = value.substr(200000) + "\r\n";
  in = rest;
  REQUIRE(r2.next(in, req) == ReadStatus::kRequest);
  CHECK(req[1] == value);
}
