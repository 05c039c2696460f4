#pragma once
// Runs one real Worker (its own thread and io_context) for the I/O tests, over a table of the
// given instances, and a ReplySink that records what it is told, for the test thread to await.
#include <chrono>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <string>

#include "preshard/backend/pipeline_conn.hpp"
#include "preshard/backend/reply_sink.hpp"
#include "preshard/net/worker.hpp"
#include "preshard/router/routing_table.hpp"

namespace preshard::test {

// Settings without the ROLE step (role fencing), for fakes that answer only what their test
// is about.
inline config::Settings without_role_check() {
  config::Settings s;
  s.role_check = "no";
  return s;
}

class WorkerHarness {
 public:
  explicit WorkerHarness(std::vector<config::Endpoint> instances, config::Settings s = {}) {
    config::Config c;
    static_cast<config::Settings&>(c) = s;
    c.instances = std::move(instances);
    // Counted per shard (up to kShards), as the server's workers are; no command rows.
    state_.thread_stats.push_back(std::make_unique<stats::ThreadStats>(0, kShards));
    state_.count_scripts_of(kShards);
    worker_ = std::make_unique<net::Worker>(
        0, state_, std::make_shared<const net::Settings>(net::Settings::from(c)));
    worker_->start();
  }
  ~WorkerHarness() {
    if (!worker_->io().stopped()) run([&] { worker_->stop(); });  // a drain may have ended it
    worker_->join();
  }
  static constexpr size_t kShards = 8;
  net::Worker& worker() { return *worker_; }
  stats::ThreadStats& stats() { return worker_->stats(); }
  net::ServerState& state() { return state_; }
  // A pipelined connection of this worker to `address` (shard `shard`, a target of its own).
  std::shared_ptr<backend::PipelineConn> make_conn(size_t shard, config::Endpoint address) {
    return std::make_shared<backend::PipelineConn>(*worker_, shard, 0, std::move(address),
                                                   std::make_shared<backend::TargetHealth>());
  }

  // Runs `f` on the worker's thread and waits for it.
  template <typename F>
  void run(F f) {
    std::promise<void> done;
    boost::asio::post(worker_->io(), [&] {
      f();
      done.set_value();
    });
    done.get_future().wait();
  }

 private:
  net::ServerState state_;
  std::unique_ptr<net::Worker> worker_;
};

// What a sink was told, per tag: a reply's bytes, or "failure: <text>".
class RecordingSink : public backend::ReplySink {
 public:
  void on_reply(uint64_t tag, std::string_view raw) override { record(tag, std::string(raw)); }
  void on_failure(uint64_t tag, const core::errors::Error& e) override {
    record(tag, "failure: " + e.text);
  }
  // The outcome for `tag`, or "(none)" if it did not come within `wait`.
  std::string await(uint64_t tag, std::chrono::milliseconds wait = std::chrono::seconds(3)) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, wait, [&] { return got_.count(tag) > 0; });
    return got_.count(tag) ? got_[tag] : "(none)";
  }

 private:
  void record(uint64_t tag, std::string what) {
    std::lock_guard lock(mutex_);
    got_[tag] = std::move(what);
    cv_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  std::map<uint64_t, std::string> got_;
};

}  // namespace preshard::test
