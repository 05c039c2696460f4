#pragma once
#include <memory>
#include <thread>
#include <unordered_set>
#include <vector>

#include "preshard/core/gather_policy.hpp"
#include "preshard/core/yield_policy.hpp"
#include "preshard/io/asio.hpp"
#include "preshard/io/flushable.hpp"
#include "preshard/io/server_state.hpp"
#include "preshard/io/settings.hpp"
#include "preshard/router/routing_table.hpp"

namespace preshard::io {

class BackendPool;
class PubSubHub;
class Session;

// One event-loop thread: its own io_context, its own backend connections, its clients. Nothing
// here is shared with another worker, so nothing is locked.
class Worker {
 public:
  Worker(size_t index, ServerState& state, std::shared_ptr<const router::RoutingTable> table,
         std::shared_ptr<const Settings> settings);
  ~Worker();

  size_t index() const { return index_; }
  asio::io_context& io() { return io_; }
  ServerState& state() { return state_; }
  stats::ThreadStats& stats() { return *state_.thread_stats[index_]; }
  const router::RoutingTable& table() const { return *table_; }
  const Settings& settings() const { return *settings_; }
  BackendPool& backends() { return *backends_; }
  PubSubHub& pubsub() { return *pubsub_; }

  // On this worker's thread: a reload's new table and settings, from the next command on.
  void apply(std::shared_ptr<const router::RoutingTable> table,
             std::shared_ptr<const Settings> settings);

  void start();  // runs the loop on a new thread
  void join();
  // From any thread: stop accepting work, let clients finish, then end the loop.
  void drain();

  // Queues `f` to be flushed once the ready work of this loop turn is done (once, however
  // often it is asked).
  void defer_flush(const std::shared_ptr<Flushable>& f);

  // A client connection read something (counted while waiting for answered clients).
  void note_client_read() { ++client_reads_; }
  void add_session(Session* s);
  void remove_session(Session* s);

 private:
  // Flushes wait until everything ready now has been handled (bounded, so that a flood of
  // events cannot hold replies back): the more commands for one instance leave in one write,
  // the fewer times that instance is woken.
  static constexpr size_t kMaxHandlersPerFlush = 4096;

  void run_loop();
  void run_flushes();
  void wait_for_answered_clients(size_t answered);
  size_t poll_ready(size_t limit);  // runs ready handlers, at most limit; returns how many
  void arm_tick();
  void on_tick();
  void maybe_finish_drain();

  size_t index_;
  ServerState& state_;
  asio::io_context io_{1};
  std::shared_ptr<const router::RoutingTable> table_;
  std::shared_ptr<const Settings> settings_;
  std::unique_ptr<BackendPool> backends_;
  std::shared_ptr<PubSubHub> pubsub_;
  std::vector<std::shared_ptr<Flushable>> to_flush_;
  core::YieldPolicy yield_policy_;
  core::GatherPolicy gather_policy_;
  uint64_t client_reads_ = 0;
  std::vector<std::shared_ptr<Flushable>> flushing_;
  asio::steady_timer tick_;
  std::unordered_set<Session*> sessions_;
  bool draining_ = false;
  Clock::time_point drain_deadline_{};
  std::thread thread_;
};

}  // namespace preshard::io
