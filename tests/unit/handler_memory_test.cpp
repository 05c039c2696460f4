// net::HandlerMemory: a worker's free lists for its asynchronous operations' memory.
#include <catch2/catch.hpp>

#include <vector>

#include "preshard/net/handler_memory.hpp"

using preshard::net::HandlerAllocator;
using preshard::net::HandlerMemory;

TEST_CASE("a freed block is handed out again for an operation of its size class") {
  HandlerMemory m;
  void* a = m.allocate(180);
  m.deallocate(a, 180);
  CHECK(m.kept() == 1);
  CHECK(m.allocate(150) == a);  // 150 and 180 bytes share the 129-192 class
  CHECK(m.kept() == 0);
  void* b = m.allocate(300);  // another class: a new block
  CHECK(b != a);
  m.deallocate(a, 150);
  m.deallocate(b, 300);
  CHECK(m.kept() == 2);
}

TEST_CASE("what handler memory keeps is bounded, and large blocks are not kept") {
  HandlerMemory m;
  std::vector<void*> blocks;
  for (size_t i = 0; i < HandlerMemory::kKeep + 40; ++i) blocks.push_back(m.allocate(64));
  for (void* p : blocks) m.deallocate(p, 64);
  CHECK(m.kept() == HandlerMemory::kKeep);
  void* big = m.allocate(64 * 1024);
  m.deallocate(big, 64 * 1024);
  CHECK(m.kept() == HandlerMemory::kKeep);
}

TEST_CASE("the allocator Asio rebinds takes its memory from the same free lists") {
  HandlerMemory m;
  HandlerAllocator<void> any(m);
  struct Op {
    char bytes[120];
  };
  HandlerAllocator<Op> ops(any);
  CHECK(ops == HandlerAllocator<Op>(m));
  Op* o = ops.allocate(1);
  ops.deallocate(o, 1);
  CHECK(m.kept() == 1);
  CHECK(ops.allocate(1) == o);
  ops.deallocate(o, 1);
}
