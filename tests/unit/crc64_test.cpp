#include <catch2/catch.hpp>

#include <cstring>

#include "preshard/ctl/crc64.hpp"

TEST_CASE("crc64 is Redis's: its own test vector, and it continues across calls") {
  const char* s = "123456789";
  CHECK(preshard::ctl::crc64(0, s, 9) == 0xe9c6d914c4b8d9caull);  // redis src/crc64.c's test
  uint64_t part = preshard::ctl::crc64(0, s, 4);
  CHECK(preshard::ctl::crc64(part, s + 4, 5) == 0xe9c6d914c4b8d9caull);
  CHECK(preshard::ctl::crc64(0, "", 0) == 0);
}
