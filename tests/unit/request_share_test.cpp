#include <catch2/catch.hpp>

#include <string>

#include "preshard/resp/request.hpp"

using preshard::resp::Request;

TEST_CASE("a shared request keeps its value; the buffer outlives it; a change copies first") {
  std::string big(3 << 20, 'v');
  Request r{"SET", "k", big};
  auto owner = r.share();
  CHECK(owner->size() == r.payload_bytes());
  CHECK(r[0] == "SET");
  CHECK(r[2] == big);
  CHECK(r.share() == owner);  // shared once

  Request copy = r;  // a queued MULTI command: the same buffer, read only
  CHECK(copy[2].data() == r[2].data());
  copy.add("EX");  // a change: its own buffer, the shared one untouched
  CHECK(copy[3] == "EX");
  CHECK(copy[2] == big);
  CHECK(copy[2].data() != owner->data());

  const char* arg = r[2].data();
  r.clear();  // the reader reuses the request for the next command
  r.add("GET");
  CHECK(r.size() == 1);
  CHECK(r[0] == "GET");
  CHECK(std::string_view(arg, big.size()) == big);  // still owned by whoever shared it
  CHECK(owner.use_count() == 1);
}

TEST_CASE("swapping moves a shared buffer with its request") {
  Request a{"SET", "k", std::string(100, 'x')};
  auto owner = a.share();
  Request b{"PING"};
  a.swap(b);
  CHECK(a[0] == "PING");
  CHECK(b[2] == std::string(100, 'x'));
  CHECK(b[2].data() >= owner->data());
}
