#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "preshard/net/name_cache.hpp"

using preshard::net::NameCache;
using namespace std::chrono_literals;

TEST_CASE("names resolve off the loop, once, and later answers come from the cache") {
  boost::asio::io_context io;
  NameCache names;
  int answers = 0;
  std::string first;
  auto ask = [&] {
    names.resolve(io, "localhost", 60s, [&](const NameCache::Result& r) {
      REQUIRE_FALSE(r.addresses.empty());
      CHECK(r.addresses.front().is_loopback());
      first = r.addresses.front().to_string();
      ++answers;
    });
  };
  ask();
  CHECK(answers == 0);                             // never inside the call
  for (int i = 0; i < 500 && answers == 0; ++i) {  // no work is queued until it is posted
    std::this_thread::sleep_for(10ms);
    io.restart();
    io.poll();
  }
  REQUIRE(answers == 1);
  ask();
  CHECK(answers == 1);
  io.restart();
  io.poll();  // cached: the next turn of the loop
  CHECK(answers == 2);
}

TEST_CASE("a closed cache posts nothing more") {
  boost::asio::io_context io;
  int answers = 0;
  {
    NameCache names;
    names.resolve(io, "localhost", 60s, [&](const NameCache::Result&) { ++answers; });
    names.close();
  }
  std::this_thread::sleep_for(300ms);
  io.poll();
  CHECK(answers == 0);
}
