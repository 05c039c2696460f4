#pragma once
// Runs fn(0) .. fn(n-1) on up to `width` threads (blocking calls to many instances at once).
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace preshard::ctl {

template <typename Fn>
void parallel_for(size_t n, size_t width, Fn&& fn) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) fn(i);
  };
  std::vector<std::thread> threads;
  size_t count = std::min(n, std::max<size_t>(width, 1));
  for (size_t t = 1; t < count; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
}

}  // namespace preshard::ctl
