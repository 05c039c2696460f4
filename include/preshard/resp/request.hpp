#pragma once
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace preshard::resp {

// One client command (argv[0] is its name), binary-safe. All arguments live in one buffer so a
// reused Request parses the next command without allocating.
class Request {
 public:
  Request() = default;
  Request(std::initializer_list<std::string_view> args) {
    for (auto a : args) add(a);
  }

  size_t size() const { return spans_.size(); }
  bool empty() const { return spans_.empty(); }
  std::string_view operator[](size_t i) const {
    return {data_.data() + spans_[i].first, spans_[i].second};
  }
  // Bytes of argument payload held (the memory a request costs, less bookkeeping).
  size_t payload_bytes() const { return data_.size(); }

  void clear();
  void add(std::string_view arg);
  // Buffers exchanged member by member: cheaper than std::swap's three moves (hot path).
  void swap(Request& other) noexcept {
    data_.swap(other.data_);
    spans_.swap(other.spans_);
  }
  friend void swap(Request& a, Request& b) noexcept { a.swap(b); }
  // Incremental building, for the reader: open an argument, then append to it.
  void begin_arg(size_t reserve_hint);
  void append_to_last(const char* p, size_t n);

 private:
  std::string data_;
  std::vector<std::pair<size_t, size_t>> spans_;  // offset, length into data_
};

}  // namespace preshard::resp
