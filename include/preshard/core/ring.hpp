#pragma once
// A FIFO on a power-of-two array that keeps its slots: a connection's commands in flight are
// queued and answered without a heap allocation per command once it has grown to its depth
// (std::deque allocates and frees a node every few entries). A ring grown past kKeepSlots is
// given back when it empties, so a burst does not pin its memory.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace preshard::core {

template <typename T>
class Ring {
 public:
  static constexpr size_t kKeepSlots = 1024;

  bool empty() const { return head_ == tail_; }
  size_t size() const { return static_cast<size_t>(tail_ - head_); }
  size_t capacity() const { return slots_.size(); }
  T& front() { return at(head_); }
  T& operator[](size_t i) { return at(head_ + i); }

  void push_back(T v) {
    if (size() == slots_.size()) grow();
    at(tail_++) = std::move(v);
  }
  // Drops the first entry (its slot is reset: what it held is released now).
  void pop_front() {
    at(head_++) = T{};
    if (empty() && slots_.size() > kKeepSlots) *this = Ring();
  }
  // Drops the last n entries.
  void pop_back(size_t n) {
    for (; n > 0; --n) at(--tail_) = T{};
  }
  void swap(Ring& o) noexcept {
    slots_.swap(o.slots_);
    std::swap(head_, o.head_);
    std::swap(tail_, o.tail_);
  }

 private:
  T& at(uint64_t i) { return slots_[i & (slots_.size() - 1)]; }
  void grow() {
    std::vector<T> bigger(slots_.empty() ? 2 : 2 * slots_.size());
    size_t n = size();
    for (size_t i = 0; i < n; ++i) bigger[i] = std::move(at(head_ + i));
    slots_.swap(bigger);
    head_ = 0;
    tail_ = n;
  }

  std::vector<T> slots_;
  uint64_t head_ = 0;
  uint64_t tail_ = 0;
};

}  // namespace preshard::core
