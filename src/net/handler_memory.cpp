#include "preshard/net/handler_memory.hpp"

namespace preshard::net {

namespace {
// The class of a block of `bytes` (blocks of class c hold (c + 1) * kClassBytes).
size_t class_of(size_t bytes) {
  return (bytes + HandlerMemory::kClassBytes - 1) / HandlerMemory::kClassBytes - 1;
}
}  // namespace

HandlerMemory::~HandlerMemory() {
  for (Free* f : free_) {
    while (f != nullptr) {
      Free* next = f->next;
      ::operator delete(f);
      f = next;
    }
  }
}

size_t HandlerMemory::kept() const {
  size_t n = 0;
  for (uint16_t k : kept_) n += k;
  return n;
}

void* HandlerMemory::allocate(size_t bytes) {
  size_t c = class_of(bytes == 0 ? 1 : bytes);
  if (c >= kClasses) return ::operator new(bytes);
  if (Free* f = free_[c]) {
    free_[c] = f->next;
    --kept_[c];
    return f;
  }
  return ::operator new((c + 1) * kClassBytes);
}

void HandlerMemory::deallocate(void* p, size_t bytes) {
  size_t c = class_of(bytes == 0 ? 1 : bytes);
  if (c >= kClasses || kept_[c] == kKeep) {
    ::operator delete(p);
    return;
  }
  auto* f = static_cast<Free*>(p);
  f->next = free_[c];
  free_[c] = f;
  ++kept_[c];
}

}  // namespace preshard::net
