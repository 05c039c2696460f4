#include "preshard/resp/request.hpp"

#include "preshard/resp/lazy_free.hpp"

namespace preshard::resp {

namespace {
// A buffer grown by one huge command is given back once that command is done.
constexpr size_t kKeepCapacity = 1 << 20;
}  // namespace

void Request::clear() {
  shared_.reset();  // whoever shares the old buffer keeps it
  if (data_.capacity() > kKeepCapacity) {
    free_lazily(std::move(data_));
    data_ = std::string();
  } else {
    data_.clear();
  }
  if (spans_.capacity() > 4096) {
    std::vector<std::pair<size_t, size_t>>().swap(spans_);
  } else {
    spans_.clear();
  }
}

void Request::add(std::string_view arg) {
  begin_arg(arg.size());
  append_to_last(arg.data(), arg.size());
}

std::shared_ptr<const std::string> Request::share() const {
  if (!shared_) {
    // Whoever lets go of a large command last (its request, the instance connection that wrote
    // it, a slowlog note) does not free it on its loop.
    shared_ = std::shared_ptr<std::string>(new std::string, [](std::string* s) {
      free_lazily(std::move(*s));
      delete s;
    });
    shared_->swap(data_);
  }
  return shared_;
}

void Request::unshare() {
  data_.assign(*shared_);
  shared_.reset();
}

void Request::begin_arg(size_t reserve_hint) {
  if (shared_) unshare();
  if (reserve_hint > 0 && data_.capacity() - data_.size() < reserve_hint) {
    data_.reserve(data_.size() + reserve_hint);
  }
  spans_.emplace_back(data_.size(), 0);
}

void Request::append_to_last(const char* p, size_t n) {
  if (shared_) unshare();
  data_.append(p, n);
  spans_.back().second += n;
}

char* Request::extend_last(size_t n) {
  if (shared_ || spans_.empty() || data_.capacity() - data_.size() < n) return nullptr;
  size_t at = data_.size();
  data_.resize(at + n);  // within the capacity: no reallocation
  spans_.back().second += n;
  return data_.data() + at;
}

}  // namespace preshard::resp
