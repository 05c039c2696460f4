#pragma once
#include <cstddef>
#include <initializer_list>
#include <memory>
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
    return {base() + spans_[i].first, spans_[i].second};
  }
  // Bytes of argument payload held (the memory a request costs, less bookkeeping).
  size_t payload_bytes() const { return shared_ ? shared_->size() : data_.size(); }

  void clear();
  void add(std::string_view arg);
  // Buffers exchanged member by member: cheaper than std::swap's three moves (hot path).
  void swap(Request& other) noexcept {
    data_.swap(other.data_);
    spans_.swap(other.spans_);
    shared_.swap(other.shared_);
  }
  // The arguments' buffer, owned jointly from now on, so that a large command is written to an
  // instance from where it was read, not copied (its value stays the same: const). A later
  // change to this request copies the buffer first.
  std::shared_ptr<const std::string> share() const;
  friend void swap(Request& a, Request& b) noexcept { a.swap(b); }
  // Incremental building, for the reader: open an argument, then append to it.
  void begin_arg(size_t reserve_hint);
  void append_to_last(const char* p, size_t n);
  // Before appending `now` bytes of the last argument, of which `rest` are still to come: once
  // its first reservation is full, room for all the rest in one step (an argument that proved
  // large by arriving; growing by doubling would copy it again and again).
  void reserve_for_last(size_t now, size_t rest) {
    if (data_.capacity() - data_.size() < now) data_.reserve(data_.size() + rest);
  }
  // Lengthens the last argument by `n` bytes, to be filled in place (a large payload read
  // straight from the socket), and returns where they start; null unless the room is already
  // reserved (nothing is moved, so the pointer stays valid until the next argument).
  char* extend_last(size_t n);

 private:
  const char* base() const { return shared_ ? shared_->data() : data_.data(); }
  void unshare();  // before a change: the buffer becomes this request's own again

  // The arguments, in data_, or in *shared_ once share() was called (data_ is empty then).
  mutable std::string data_;
  std::vector<std::pair<size_t, size_t>> spans_;  // offset, length into the arguments
  mutable std::shared_ptr<std::string> shared_;
};

}  // namespace preshard::resp
