#include <catch2/catch.hpp>

#include "preshard/core/gather_policy.hpp"

using preshard::core::GatherPolicy;
using namespace std::chrono_literals;

namespace {
const GatherPolicy::Clock::time_point t0{};
}

TEST_CASE("a wait ends once every answered client has sent again") {
  GatherPolicy p({100us, 20us});
  REQUIRE(p.should_wait());
  CHECK(p.keep_waiting(t0, t0, t0 + 5us, 3, 4));
  CHECK_FALSE(p.keep_waiting(t0, t0, t0 + 5us, 4, 4));
  CHECK_FALSE(p.keep_waiting(t0, t0, t0 + 5us, 5, 4));
}

TEST_CASE("a wait ends after gap without a read, and after max in any case") {
  GatherPolicy p({100us, 20us});
  CHECK(p.keep_waiting(t0, t0, t0 + 19us, 0, 4));
  CHECK_FALSE(p.keep_waiting(t0, t0, t0 + 20us, 0, 4));
  // Reads keep coming: the gap counts from the last one, max from the start.
  CHECK(p.keep_waiting(t0, t0 + 90us, t0 + 99us, 2, 4));
  CHECK_FALSE(p.keep_waiting(t0, t0 + 95us, t0 + 100us, 2, 4));
}

TEST_CASE("max 0 turns waiting off") {
  GatherPolicy p({0us, 20us});
  CHECK_FALSE(p.should_wait());
  p.set_limits({100us, 20us});
  CHECK(p.should_wait());
}

TEST_CASE("waits that bring nothing fall back to probing, one that brings a read ends that") {
  GatherPolicy p({100us, 20us});
  for (unsigned i = 0; i < GatherPolicy::kMissesToProbe; ++i) {
    REQUIRE(p.should_wait());
    p.record(0);
  }
  unsigned waited = 0;
  for (unsigned i = 0; i < GatherPolicy::kProbeEvery * 4; ++i) {
    if (p.should_wait()) {
      ++waited;
      p.record(0);
    }
  }
  CHECK(waited == 4);
  while (!p.should_wait()) {
  }
  p.record(1);
  CHECK(p.should_wait());
  CHECK(p.should_wait());
}

TEST_CASE("misses must be consecutive to stop the waiting") {
  GatherPolicy p({100us, 20us});
  for (unsigned i = 0; i < 4 * GatherPolicy::kMissesToProbe; ++i) {
    REQUIRE(p.should_wait());
    p.record(i % 2);
  }
  CHECK(p.should_wait());
}
