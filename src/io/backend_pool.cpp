#include "preshard/io/backend_pool.hpp"

#include "preshard/io/worker.hpp"

namespace preshard::io {

BackendConn& BackendPool::conn(size_t shard) {
  if (conns_.size() <= shard) conns_.resize(worker_.table().shard_count());
  auto& c = conns_[shard];
  if (!c) c = std::make_shared<BackendConn>(worker_, shard, worker_.table().endpoint(shard));
  return *c;
}

BackendPool::Dedicated& BackendPool::dedicated(size_t shard) {
  if (dedicated_.size() <= shard) dedicated_.resize(worker_.table().shard_count());
  return dedicated_[shard];
}

std::shared_ptr<BackendConn> BackendPool::acquire_dedicated(size_t shard) {
  Dedicated& d = dedicated(shard);
  std::shared_ptr<BackendConn> c;
  if (!d.idle.empty()) {
    c = std::move(d.idle.back());
    d.idle.pop_back();
  } else if (d.busy.size() < worker_.settings().blocking_connections_per_shard) {
    c = std::make_shared<BackendConn>(worker_, shard, worker_.table().endpoint(shard));
  } else {
    return nullptr;
  }
  d.busy.push_back(c);
  return c;
}

void BackendPool::forget_busy(const std::shared_ptr<BackendConn>& conn) {
  auto& busy = dedicated(conn->shard()).busy;
  std::erase(busy, conn);
}

void BackendPool::release_dedicated(std::shared_ptr<BackendConn> conn) {
  forget_busy(conn);
  if (conn->reusable()) dedicated(conn->shard()).idle.push_back(std::move(conn));
}

void BackendPool::discard_dedicated(std::shared_ptr<BackendConn> conn) {
  forget_busy(conn);
  conn->close();
}

void BackendPool::tick(Clock::time_point now) {
  for (auto& c : conns_) {
    if (c) c->check_timeouts(now);
  }
  for (auto& d : dedicated_) {
    for (auto& c : d.busy) c->check_timeouts(now);
  }
}

void BackendPool::close_all() {
  for (auto& c : conns_) {
    if (c) c->close();
  }
  for (auto& d : dedicated_) {
    // close() answers the commands in flight, which may release connections: work on copies.
    auto busy = d.busy;
    for (auto& c : busy) c->close();
    for (auto& c : d.idle) c->close();
  }
}

}  // namespace preshard::io
