#pragma once
#include <functional>
#include <memory>
#include <vector>

#include "preshard/io/asio.hpp"
#include "preshard/io/backend_conn.hpp"
#include "preshard/router/routing_table.hpp"

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

  // A reload published a new table (already the worker's): connections to instances whose
  // address changed are retired, their queued commands moving to the new address after the
  // old connection's commands are answered. Unchanged shards keep their connections.
  void retarget(const router::RoutingTable& before);

  // PROXY PAUSE: commands for the shards queue until resume() or `until`; `drained` is called
  // once no command sent to them before the pause is unanswered.
  void pause(const std::vector<size_t>& shards, Clock::time_point until,
             std::function<void()> drained);
  void resume(const std::vector<size_t>& shards);
  bool paused(size_t shard) const {
    return shard < paused_until_.size() && paused_until_[shard] != Clock::time_point{};
  }

  void tick(Clock::time_point now);
  void close_all();

 private:
  struct Dedicated {
    std::vector<std::shared_ptr<BackendConn>> idle;
    std::vector<std::shared_ptr<BackendConn>> busy;
  };
  Dedicated& dedicated(size_t shard);
  void forget_busy(const std::shared_ptr<BackendConn>& conn);
  std::shared_ptr<BackendConn> make_conn(size_t shard);

  Worker& worker_;
  std::vector<std::shared_ptr<BackendConn>> conns_;
  std::vector<Dedicated> dedicated_;
  std::vector<std::shared_ptr<BackendConn>> retiring_;  // finishing on an old address
  std::vector<Clock::time_point> paused_until_;         // per shard; {} = not paused
};

}  // namespace preshard::io
