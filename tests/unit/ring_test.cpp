// core::Ring: the FIFO of a connection's commands in flight (PipelineConn), which keeps its
// slots so that steady traffic allocates nothing.
#include <catch2/catch.hpp>

#include <memory>

#include "preshard/core/ring.hpp"

using preshard::core::Ring;

TEST_CASE("a ring gives entries back in order across growth and wrap-around") {
  Ring<int> r;
  int next_in = 0, next_out = 0;
  for (int round = 0; round < 50; ++round) {
    for (int i = 0; i < round % 7 + 1; ++i) r.push_back(next_in++);
    for (int i = 0; i < round % 5 + 1 && !r.empty(); ++i) {
      CHECK(r.front() == next_out++);
      r.pop_front();
    }
    for (size_t i = 0; i < r.size(); ++i) CHECK(r[i] == next_out + static_cast<int>(i));
  }
  CHECK(r.size() == static_cast<size_t>(next_in - next_out));
}

TEST_CASE("a ring keeps its slots at a steady depth, and releases what it dropped") {
  Ring<std::shared_ptr<int>> r;
  auto held = std::make_shared<int>(7);
  for (int i = 0; i < 4; ++i) r.push_back(held);
  r.push_back(held);  // the depth it holds from here on: 4, with 1 more before each pop
  r.pop_front();
  size_t slots = r.capacity();
  for (int i = 0; i < 10000; ++i) {
    r.push_back(held);
    r.pop_front();
  }
  CHECK(r.capacity() == slots);  // no growth: the slots are reused
  CHECK(held.use_count() == 5);  // popped entries are released, not kept in their slots
  r.pop_back(2);
  CHECK(r.size() == 2);
  CHECK(held.use_count() == 3);
}

TEST_CASE("a ring grown by a burst gives its memory back once empty") {
  Ring<int> r;
  for (int i = 0; i < 5000; ++i) r.push_back(i);
  CHECK(r.capacity() >= 5000);
  while (!r.empty()) r.pop_front();
  CHECK(r.capacity() == 0);
  r.push_back(1);
  CHECK(r.front() == 1);
}

TEST_CASE("rings swap their entries") {
  Ring<int> a, b;
  a.push_back(1);
  a.push_back(2);
  b.swap(a);
  CHECK(a.empty());
  REQUIRE(b.size() == 2);
  CHECK(b.front() == 1);
}
