#include <catch2/catch.hpp>

#include "preshard/ctl/local_host.hpp"

using preshard::ctl::local_address;

TEST_CASE("loopback addresses and names are this machine's; others are not") {
  CHECK(local_address("127.0.0.1") == "127.0.0.1");
  CHECK(local_address("127.0.0.2") == "127.0.0.2");  // all of 127.0.0.0/8
  CHECK(local_address("localhost").has_value());
  CHECK_FALSE(local_address("192.0.2.1"));  // TEST-NET-1: never assigned
  CHECK_FALSE(local_address("no-such-host.invalid"));
}
