#include "preshard/net/worker.hpp"

#include <spdlog/spdlog.h>

#include <sched.h>

#include <algorithm>

namespace preshard::net {

Worker::Worker(size_t index, ServerState& state, std::shared_ptr<const Settings> settings,
               stats::ThreadStats* stats)
    : index_(index),
      state_(state),
      stats_(stats != nullptr ? stats : state.thread_stats[index].get()),
      settings_(std::move(settings)),
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
  while (n < limit && turn_read_bytes_ < kTurnReadBytes && io_.poll_one() > 0) ++n;
  return n;
}

void Worker::defer_flush(const std::shared_ptr<Flushable>& f) {
  if (f->flush_queued_) return;
  f->flush_queued_ = true;
  to_flush_.push_back(f);
}

void Worker::run_flushes() {
  turn_read_bytes_ = 0;
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
  for (size_t handled = 0;
       handled < kMaxHandlersPerFlush && !io_.stopped() && turn_read_bytes_ < kTurnReadBytes;) {
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
    if (ec) return;
    auto now = stamp();
    for (auto& f : tick_handlers_) f(now);
    if (!io_.stopped()) arm_tick();
  });
}

void Worker::stop() {
  tick_.cancel();
  io_.stop();
}

}  // namespace preshard::net
