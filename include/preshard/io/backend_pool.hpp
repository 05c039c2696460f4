#pragma once
#include <memory>
#include <vector>

#include "preshard/io/asio.hpp"
#include "preshard/io/backend_conn.hpp"

namespace preshard::io {

class Worker;

// A worker's connections to the instances: one pipelined connection per shard, made on first
// use, shared by all the worker's clients; and, for blocking commands, dedicated connections
// (at most blocking_connections_per_shard per shard), each serving one command at a time.
class BackendPool {
 public:
  explicit BackendPool(Worker& worker) : worker_(worker) {}

  BackendConn& conn(size_t shard);
  // A dedicated connection for one blocking command; null when the shard's limit is reached.
  std::shared_ptr<BackendConn> acquire_dedicated(size_t shard);
  // Gives it back once its command is answered; a connection that failed is dropped.
  void release_dedicated(std::shared_ptr<BackendConn> conn);
  // The client left while its command was blocked: close, so the instance stops waiting.
  void discard_dedicated(std::shared_ptr<BackendConn> conn);

  void tick(Clock::time_point now);
  void close_all();

 private:
  struct Dedicated {
    std::vector<std::shared_ptr<BackendConn>> idle;
    std::vector<std::shared_ptr<BackendConn>> busy;
  };
  Dedicated& dedicated(size_t shard);
  void forget_busy(const std::shared_ptr<BackendConn>& conn);

  Worker& worker_;
  std::vector<std::shared_ptr<BackendConn>> conns_;
  std::vector<Dedicated> dedicated_;
};

}  // namespace preshard::io
