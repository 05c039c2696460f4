#include <catch2/catch.hpp>

#include <climits>

#include "preshard/resp/string2ll.hpp"

using preshard::resp::string2ll;

TEST_CASE("string2ll accepts what Redis accepts") {
  long long v = 0;
  CHECK((string2ll("0", v) && v == 0));
  CHECK((string2ll("123", v) && v == 123));
  CHECK((string2ll("-5", v) && v == -5));
  CHECK((string2ll("9223372036854775807", v) && v == LLONG_MAX));
  CHECK((string2ll("-9223372036854775808", v) && v == LLONG_MIN));
}

TEST_CASE("string2ll refuses what Redis refuses") {
  long long v = 0;
  for (const char* s : {"", "-", "+1", "01", "-0", " 1", "1 ", "1x", "9223372036854775808",
                        "-9223372036854775809", "99999999999999999999"}) {
    INFO(s);
    CHECK_FALSE(string2ll(s, v));
  }
}
