#include "preshard/resp/lazy_free.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace preshard::resp {

namespace {

struct Reaper {
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::string> queue;
  std::atomic<uint64_t> freed{0};

  Reaper() {
    std::thread([this] {
      std::unique_lock lock(mutex);
      while (true) {
        wake.wait(lock, [this] { return !queue.empty(); });
        std::string s = std::move(queue.front());
        queue.pop_front();
        lock.unlock();
        std::string().swap(s);  // the free itself, outside the lock
        freed.fetch_add(1, std::memory_order_relaxed);
        lock.lock();
      }
    }).detach();
  }
};

Reaper& reaper() {
  // Never destroyed: the detached thread may still wait on it while the process exits.
  static Reaper* r = new Reaper;
  return *r;
}

}  // namespace

void free_lazily(std::string&& s) {
  if (s.capacity() < kLazyFreeBytes) {
    std::string().swap(s);
    return;
  }
  Reaper& r = reaper();
  {
    std::lock_guard lock(r.mutex);  // only for buffers of megabytes: never on the hot path
    r.queue.push_back(std::move(s));
  }
  r.wake.notify_one();
}

uint64_t lazily_freed() {
  return reaper().freed.load(std::memory_order_relaxed);
}

}  // namespace preshard::resp
