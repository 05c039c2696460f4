#include "preshard/io/worker.hpp"

#include <spdlog/spdlog.h>

#include <sched.h>

#include <algorithm>

#include "preshard/io/backend_pool.hpp"
#include "preshard/io/pubsub_hub.hpp"
#include "preshard/io/session.hpp"

namespace preshard::io {

Worker::Worker(size_t index, ServerState& state, std::shared_ptr<const router::RoutingTable> table,
               std::shared_ptr<const Settings> settings)
    : index_(index),
      state_(state),
      table_(std::move(table)),
      settings_(std::move(settings)),
      backends_(std::make_unique<BackendPool>(*this)),
      pubsub_(std::make_shared<PubSubHub>(*this)),
      tick_(io_) {}

Worker::~Worker() {
  join();
}

void Worker::start() {
  arm_tick();
  thread_ = std::thread([this] {
    try {
      run_loop();
    } catch (const std::exception& e) {
      spdlog::critical("worker {}: {}", index_, e.what());
      std::abort();
    }
  });
}

void Worker::apply(std::shared_ptr<const router::RoutingTable> table,
                   std::shared_ptr<const Settings> settings) {
  auto before = std::move(table_);
  table_ = std::move(table);
  settings_ = std::move(settings);
  backends_->retarget(*before);
  pubsub_->retarget(*before);
}

void Worker::join() {
  if (thread_.joinable()) thread_.join();
}

void Worker::run_loop() {
  while (!io_.stopped()) {
    if (io_.run_one() == 0) break;
    size_t handled = 1 + poll_ready(kMaxHandlersPerFlush - 1);
    // Give the CPU to instances this worker woke, so that their replies join this turn.
    const unsigned max_yields = settings_->batch_yields;  // 0: no clock read either
    yield_policy_.set_max(max_yields);
    gather_policy_.set_limits({std::chrono::microseconds(settings_->gather_max_us),
                               std::chrono::microseconds(settings_->gather_gap_us)});
    for (unsigned k = 0; k < max_yields && !to_flush_.empty() && handled < kMaxHandlersPerFlush;
         ++k) {
      auto before = Clock::now();
      if (!yield_policy_.should_yield(k, before)) break;
      sched_yield();
      size_t found = poll_ready(kMaxHandlersPerFlush - handled);
      yield_policy_.record(k, found > 0, before, Clock::now());
      handled += found;
      if (found == 0) break;
    }
    run_flushes();
  }
}

size_t Worker::poll_ready(size_t limit) {
  size_t n = 0;
  while (n < limit && io_.poll_one() > 0) ++n;
  return n;
}

void Worker::defer_flush(const std::shared_ptr<Flushable>& f) {
  if (f->flush_queued_) return;
  f->flush_queued_ = true;
  to_flush_.push_back(f);
}

void Worker::run_flushes() {
  if (to_flush_.empty()) return;
  flushing_.swap(to_flush_);
  // Replies first: they go to clients, whose next commands can then join this turn's writes to
  // instances (core/gather_policy.hpp).
  size_t answered = 0;
  for (auto& f : flushing_) {
    if (!f->is_client()) continue;
    f->flush_queued_ = false;
    f->flush();
    f.reset();
    ++answered;
  }
  std::erase(flushing_, nullptr);
  if (answered > 0 && !flushing_.empty() && gather_policy_.should_wait()) {
    wait_for_answered_clients(answered);
    // What the wait queued (instances not yet in this turn, replies it completed) joins the turn.
    for (auto& f : to_flush_) flushing_.push_back(std::move(f));
    to_flush_.clear();
  }
  for (auto& f : flushing_) {
    f->flush_queued_ = false;
    f->flush();
  }
  flushing_.clear();
}

void Worker::wait_for_answered_clients(size_t answered) {
  const auto start = Clock::now();
  const uint64_t before = client_reads_;
  auto last = start;
  uint64_t seen = before;
  for (size_t handled = 0; handled < kMaxHandlersPerFlush && !io_.stopped();) {
    size_t found = poll_ready(kMaxHandlersPerFlush - handled);
    handled += found;
    auto now = Clock::now();
    if (client_reads_ != seen) {
      seen = client_reads_;
      last = now;
    }
    if (!gather_policy_.keep_waiting(start, last, now, seen - before, answered)) break;
    if (found == 0) sched_yield();  // let the instances on this core run meanwhile
  }
  gather_policy_.record(seen - before);
  auto& st = stats();
  stats::ThreadStats::add(st.gather_waits);
  stats::ThreadStats::add(st.gather_reads, seen - before);
  stats::ThreadStats::add(
      st.gather_wait_us,
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count());
}

void Worker::arm_tick() {
  // Timeouts are checked on a coarse tick rather than with a timer per request.
  unsigned ms = std::clamp(settings_->timeout_ms / 10, 2u, 100u);
  tick_.expires_after(std::chrono::milliseconds(ms));
  tick_.async_wait([this](const error_code& ec) {
    if (!ec) on_tick();
  });
}

void Worker::on_tick() {
  backends_->tick(Clock::now());
  maybe_finish_drain();
  if (!io_.stopped()) arm_tick();
}

void Worker::add_session(Session* s) {
  sessions_.insert(s);
}

void Worker::remove_session(Session* s) {
  sessions_.erase(s);
  if (draining_) maybe_finish_drain();
}

void Worker::drain() {
  asio::post(io_, [this] {
    if (draining_) return;
    draining_ = true;
    drain_deadline_ = Clock::now() + std::chrono::milliseconds(settings_->shutdown_timeout_ms);
    std::vector<Session*> all(sessions_.begin(), sessions_.end());
    for (Session* s : all) s->drain();
    maybe_finish_drain();
  });
}

void Worker::maybe_finish_drain() {
  if (!draining_) return;
  bool expired = Clock::now() >= drain_deadline_;
  if (!sessions_.empty() && !expired) return;
  if (!sessions_.empty()) {
    spdlog::warn("worker {}: shutdown timeout, closing {} clients with commands in flight", index_,
                 sessions_.size());
    std::vector<Session*> all(sessions_.begin(), sessions_.end());
    for (Session* s : all) s->close();
  }
  backends_->close_all();
  pubsub_->close_all();
  tick_.cancel();
  io_.stop();
}

}  // namespace preshard::io
