#pragma once
// Memory for a worker's asynchronous operations. Asio keeps a small per-thread cache of
// operation memory, but only inside its own handlers; a worker starts its writes from the loop
// turn's flushes, after the handlers, so without this every command's writes went to the heap
// (bench/allocations.py). Free lists per size class, for the worker's thread only; what is kept
// is bounded (kKeep blocks per class), and larger blocks go straight to the heap.
#include <array>
#include <cstddef>
#include <cstdint>
#include <new>

namespace preshard::net {

class HandlerMemory {
 public:
  static constexpr size_t kClassBytes = 64;
  static constexpr size_t kClasses = 16;  // blocks up to 1 KB
  static constexpr size_t kKeep = 64;     // free blocks kept per class
  HandlerMemory() = default;
  HandlerMemory(const HandlerMemory&) = delete;
  HandlerMemory& operator=(const HandlerMemory&) = delete;
  ~HandlerMemory();

  void* allocate(size_t bytes);
  void deallocate(void* p, size_t bytes);
  // Free blocks kept, all classes.
  size_t kept() const;

 private:
  struct Free {
    Free* next;
  };
  std::array<Free*, kClasses> free_{};
  std::array<uint16_t, kClasses> kept_{};
};

// The allocator Asio finds on a handler bound with bind_allocator (Worker::with_memory).
template <typename T>
class HandlerAllocator {
 public:
  using value_type = T;
  explicit HandlerAllocator(HandlerMemory& m) : memory_(&m) {}
  template <typename U>
  HandlerAllocator(const HandlerAllocator<U>& other) : memory_(other.memory_) {}  // NOLINT

  T* allocate(size_t n) {
    if constexpr (alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__) {
      return static_cast<T*>(::operator new(sizeof(T) * n, std::align_val_t(alignof(T))));
    } else {
      return static_cast<T*>(memory_->allocate(sizeof(T) * n));
    }
  }
  void deallocate(T* p, size_t n) {
    if constexpr (alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__) {
      ::operator delete(p, std::align_val_t(alignof(T)));
    } else {
      memory_->deallocate(p, sizeof(T) * n);
    }
  }
  friend bool operator==(const HandlerAllocator& a, const HandlerAllocator& b) {
    return a.memory_ == b.memory_;
  }

 private:
  template <typename U>
  friend class HandlerAllocator;
  HandlerMemory* memory_;
};

}  // namespace preshard::net
