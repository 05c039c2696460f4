// backend::TargetHealth: a worker's view of one instance. After a failed connect it refuses
// commands for a backoff; any worker reaching a down instance again ends every worker's.
#include <catch2/catch.hpp>

#include <atomic>

#include "preshard/backend/target_health.hpp"

using preshard::backend::TargetHealth;
using preshard::net::Clock;

namespace {
preshard::net::Settings backoff(unsigned ms) {
  preshard::net::Settings s;
  s.retry_min_ms = ms;
  s.retry_max_ms = ms * 4;
  return s;
}
}  // namespace

TEST_CASE("a failed connect refuses commands until the backoff ends") {
  TargetHealth h;
  auto s = backoff(60000);
  REQUIRE_FALSE(h.refusing(Clock::now()));
  h.connect_failed("connection refused", s);
  CHECK(h.down());
  CHECK(h.refusing(Clock::now()));
  CHECK_FALSE(h.refusing(Clock::now() + std::chrono::seconds(61)));
  CHECK(h.error(3, preshard::config::Endpoint{}).text ==
        "ERR shard 3 is unavailable (connection refused)");
  h.connected();
  CHECK_FALSE(h.down());
  CHECK_FALSE(h.refusing(Clock::now()));
}

TEST_CASE("another worker connecting to the instance ends this worker's backoff") {
  std::atomic<uint64_t> news{0};
  TargetHealth mine(&news), theirs(&news);
  auto s = backoff(60000);
  mine.connect_failed("connection refused", s);
  theirs.connect_failed("connection refused", s);
  REQUIRE(mine.refusing(Clock::now()));
  theirs.connected();  // the other worker's retry got through
  CHECK(news.load() == 1);
  CHECK_FALSE(mine.refusing(Clock::now()));  // the next command tries again at once
  CHECK(mine.down());
  // A failure after that news starts a fresh backoff.
  mine.connect_failed("connection refused", s);
  CHECK(mine.refusing(Clock::now()));
  // A worker connecting for the first time (it never saw the failure) is news too: after a
  // reload's new settings, its success tells the others to try again.
  TargetHealth fresh(&news);
  fresh.connected();
  CHECK_FALSE(mine.refusing(Clock::now()));
  // Without shared news, only the backoff's end.
  TargetHealth alone;
  alone.connect_failed("connection refused", s);
  fresh.connected();
  CHECK(alone.refusing(Clock::now()));
}
