#include <catch2/catch.hpp>

#include "preshard/core/yield_policy.hpp"

using preshard::core::YieldPolicy;
using namespace std::chrono_literals;

namespace {
const YieldPolicy::Clock::time_point t0{};
}

TEST_CASE("yields up to the configured count per turn") {
  YieldPolicy p(3);
  CHECK(p.should_yield(0, t0));
  CHECK(p.should_yield(2, t0));
  CHECK_FALSE(p.should_yield(3, t0));
  p.set_max(0);
  CHECK_FALSE(p.should_yield(0, t0));
}

TEST_CASE("turns whose yield finds nothing fall back to probing") {
  YieldPolicy p(4);
  for (unsigned i = 0; i < YieldPolicy::kMissesToProbe; ++i) {
    REQUIRE(p.should_yield(0, t0));
    p.record(0, false, t0, t0 + 1us);
  }
  // Now only one turn in kProbeEvery yields.
  unsigned yielded = 0;
  for (unsigned i = 0; i < YieldPolicy::kProbeEvery * 3; ++i) {
    if (p.should_yield(0, t0)) {
      ++yielded;
      p.record(0, false, t0, t0 + 1us);
    }
  }
  CHECK(yielded == 3);
  // A probe that finds work turns yielding back on.
  while (!p.should_yield(0, t0)) {
  }
  p.record(0, true, t0, t0 + 1us);
  CHECK(p.should_yield(0, t0));
  CHECK(p.should_yield(0, t0));
}

TEST_CASE("a later yield finding nothing does not count as a miss") {
  YieldPolicy p(4);
  for (unsigned i = 0; i < 2 * YieldPolicy::kMissesToProbe; ++i) {
    p.record(0, true, t0, t0 + 1us);
    p.record(1, false, t0, t0 + 1us);
  }
  CHECK(p.should_yield(0, t0));
}

TEST_CASE("a slow yield stops yielding for a while") {
  YieldPolicy p(4);
  auto after = t0 + YieldPolicy::kSlowYield + 1us;
  p.record(0, true, t0, after);
  CHECK_FALSE(p.should_yield(0, after));
  CHECK_FALSE(p.should_yield(0, after + YieldPolicy::kQuietAfterSlow - 1us));
  CHECK(p.should_yield(0, after + YieldPolicy::kQuietAfterSlow));
  // A yield just under the limit does not.
  p.record(0, true, t0, t0 + YieldPolicy::kSlowYield);
  CHECK(p.should_yield(0, after + YieldPolicy::kQuietAfterSlow));
}
