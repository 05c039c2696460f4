#pragma once
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "preshard/core/gather_policy.hpp"
#include "preshard/core/yield_policy.hpp"
#include "preshard/net/asio.hpp"
#include "preshard/net/flushable.hpp"
#include "preshard/net/handler_memory.hpp"
#include "preshard/net/server_state.hpp"
#include "preshard/net/settings.hpp"

namespace preshard::net {

// One event-loop thread: its own io_context, and the batching of writes per loop turn. What
// runs on it (client connections, instance connections) is the upper layers'; nothing here is
// shared with another worker, so nothing is locked.
class Worker {
 public:
  // `stats`: where its counters go (null: the state's thread_stats[index]).
  Worker(size_t index, ServerState& state, std::shared_ptr<const Settings> settings,
         stats::ThreadStats* stats = nullptr);
  ~Worker();

  size_t index() const { return index_; }
  asio::io_context& io() { return io_; }
  ServerState& state() { return state_; }
  stats::ThreadStats& stats() { return *stats_; }
  const Settings& settings() const { return *settings_; }
  // On this worker's thread: a reload's settings, from the next event on.
  void apply(std::shared_ptr<const Settings> settings) { settings_ = std::move(settings); }
  // The TLS context instance connections handshake with (null: none configured). A reload's
  // serves the next handshake; connections up keep theirs.
  void set_backend_tls(std::shared_ptr<asio::ssl::context> tls) { backend_tls_ = std::move(tls); }
  const std::shared_ptr<asio::ssl::context>& backend_tls() const { return backend_tls_; }

  // Called on a coarse tick (timeout_ms / 10, 2-100 ms), for timeouts and the like.
  void on_tick(std::function<void(Clock::time_point)> f) { tick_handlers_.push_back(std::move(f)); }

  // `handler`, its operation's memory taken from this worker's free lists (HandlerMemory): for
  // the operations a flush starts, which Asio's own cache does not serve.
  template <typename Handler>
  auto with_memory(Handler&& handler) {
    return asio::bind_allocator(HandlerAllocator<void>(handler_memory_),
                                std::forward<Handler>(handler));
  }
  void start();  // runs the loop on a new thread
  void join();
  // On this worker's thread: ends the loop once the current handler returns.
  void stop();

  // Queues `f` to be flushed once the ready work of this loop turn is done (once, however
  // often it is asked).
  void defer_flush(const std::shared_ptr<Flushable>& f);

  // The time of the latest read (clients' and instances'), which stamps it: a command's time is
  // counted from the stamp when it was parsed to the stamp when its reply came, one clock read
  // per read rather than two per command. Never goes back.
  Clock::time_point stamp() { return stamp_ = Clock::now(); }
  Clock::time_point last_stamp() const { return stamp_; }

  // A client connection read n bytes (counted while waiting for answered clients, and towards
  // the turn's read budget).
  void note_client_read(size_t n) {
    ++client_reads_;
    turn_read_bytes_ += n;
  }

 private:
  // Flushes wait until everything ready now has been handled (bounded, so that a flood of
  // events cannot hold replies back): the more commands for one instance leave in one write,
  // the fewer times that instance is woken.
  static constexpr size_t kMaxHandlersPerFlush = 4096;
  // And once clients' reads this turn bring this much: a client sending a 400 MB value kept the
  // queue full for 4,096 reads of 16 KB, and another client's GET waited 100-200 ms for them.
  static constexpr size_t kTurnReadBytes = 256 * 1024;

  void run_loop();
  void run_flushes();
  void wait_for_answered_clients(size_t answered);
  size_t poll_ready(size_t limit);  // runs ready handlers, at most limit; returns how many
  void arm_tick();

  size_t index_;
  ServerState& state_;
  stats::ThreadStats* stats_;
  Clock::time_point stamp_ = Clock::now();
  HandlerMemory handler_memory_;  // before io_: its operations give their memory back to it
  asio::io_context io_{1};
  std::shared_ptr<const Settings> settings_;
  std::shared_ptr<asio::ssl::context> backend_tls_;
  std::vector<std::shared_ptr<Flushable>> to_flush_;
  core::YieldPolicy yield_policy_;
  core::GatherPolicy gather_policy_;
  uint64_t client_reads_ = 0;
  size_t turn_read_bytes_ = 0;  // since the turn's flushes
  std::vector<std::shared_ptr<Flushable>> flushing_;
  asio::steady_timer tick_;
  std::vector<std::function<void(Clock::time_point)>> tick_handlers_;
  std::thread thread_;
};

}  // namespace preshard::net
