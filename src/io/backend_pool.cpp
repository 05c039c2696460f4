#include "preshard/io/backend_pool.hpp"

#include "preshard/io/worker.hpp"

namespace preshard::io {

BackendConn& BackendPool::conn(size_t shard) {
  if (conns_.size() <= shard) conns_.resize(worker_.table().shard_count());
  auto& c = conns_[shard];
  if (!c) c = std::make_shared<BackendConn>(worker_, shard, worker_.table().endpoint(shard));
  return *c;
}

void BackendPool::tick(Clock::time_point now) {
  for (auto& c : conns_) {
    if (c) c->check_timeouts(now);
  }
}

void BackendPool::close_all() {
  for (auto& c : conns_) {
    if (c) c->close();
  }
}

}  // namespace preshard::io
