#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "preshard/core/reply_queue.hpp"

using preshard::core::ReplyQueue;

TEST_CASE("replies leave in request order whatever order they complete in") {
  ReplyQueue q;
  std::string out;
  uint64_t a = q.reserve(), b = q.reserve(), c = q.reserve();
  q.complete(c, "C", out);
  CHECK(out.empty());
  q.complete(b, "B", out);
  CHECK(out.empty());
  CHECK(q.held_bytes() == 2);
  q.complete(a, "A", out);
  CHECK(out == "ABC");
  CHECK(q.pending() == 0);
  CHECK(q.held_bytes() == 0);
}

TEST_CASE("random completion order over a growing ring") {
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    ReplyQueue q;
    std::string out, expected;
    std::vector<uint64_t> seqs;
    int n = 1 + static_cast<int>(rng() % 500);
    for (int i = 0; i < n; ++i) {
      seqs.push_back(q.reserve());
      expected += std::to_string(i) + ",";
    }
    std::vector<uint64_t> order = seqs;
    std::shuffle(order.begin(), order.end(), rng);
    for (uint64_t s : order) q.complete(s, std::to_string(s - seqs[0]) + ",", out);
    CHECK(out == expected);
    CHECK(q.pending() == 0);
  }
}

TEST_CASE("interleaved reserve and complete") {
  ReplyQueue q;
  std::string out;
  uint64_t a = q.reserve();
  uint64_t b = q.reserve();
  q.complete(b, "b", out);
  uint64_t c = q.reserve();
  q.complete(a, "a", out);
  CHECK(out == "ab");
  q.complete(c, "c", out);
  CHECK(out == "abc");
}

TEST_CASE("a silenced slot's reply is dropped, in order, and the slot is reusable") {
  ReplyQueue q;
  std::string out;
  uint64_t a = q.reserve(), b = q.reserve(), c = q.reserve();
  q.silence(b);
  q.complete(c, "C", out);
  q.complete(b, "B", out);  // held for nothing: it will not be written
  CHECK(q.held_bytes() == 1);
  q.complete(a, "A", out);
  CHECK(out == "AC");
  CHECK(q.held_bytes() == 0);
  uint64_t d = q.reserve();  // may reuse b's ring position: not silent any more
  CHECK_FALSE(q.silent(d));
  q.complete(d, "D", out);
  CHECK(out == "ACD");
}
