#pragma once
#include <memory>
#include <vector>

#include "preshard/io/asio.hpp"
#include "preshard/io/backend_conn.hpp"

namespace preshard::io {

class Worker;

// A worker's connections to the instances: one pipelined connection per shard, made on first
// use.
class BackendPool {
 public:
  explicit BackendPool(Worker& worker) : worker_(worker) {}

  BackendConn& conn(size_t shard);
  void tick(Clock::time_point now);
  void close_all();

 private:
  Worker& worker_;
  std::vector<std::shared_ptr<BackendConn>> conns_;
};

}  // namespace preshard::io
