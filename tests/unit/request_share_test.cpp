#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "preshard/resp/lazy_free.hpp"
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

TEST_CASE("a large shared buffer is freed on the free thread, a small one at once") {
  using preshard::resp::kLazyFreeBytes;
  using preshard::resp::lazily_freed;
  const uint64_t before = lazily_freed();
  {
    Request small{"SET", "k", std::string(1000, 'x')};
    auto owner = small.share();
  }
  {
    Request big{"SET", "k", std::string(kLazyFreeBytes, 'x')};
    auto owner = big.share();
    big.clear();
    CHECK(lazily_freed() == before);  // still owned here
  }                                   // the last owner lets go: queued for the free thread
  // Bounded wait for the other thread (2 s).
  for (int i = 0; i < 2000 && lazily_freed() == before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  CHECK(lazily_freed() == before + 1);
}
