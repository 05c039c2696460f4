#pragma once
// State most holders never need (a client's subscriptions, its transaction), allocated on its
// first change: an idle client costs 8 bytes for it instead of the state's size. view() reads
// without allocating (an empty T while there is none); edit() allocates.
#include <memory>

namespace preshard::core {

template <typename T>
class Lazy {
 public:
  const T& view() const { return value_ ? *value_ : empty(); }
  T& edit() {
    if (!value_) value_ = std::make_unique<T>();
    return *value_;
  }
  bool allocated() const { return value_ != nullptr; }
  void reset() { value_.reset(); }

 private:
  static const T& empty() {
    static const T none{};
    return none;
  }
  std::unique_ptr<T> value_;
};

}  // namespace preshard::core
