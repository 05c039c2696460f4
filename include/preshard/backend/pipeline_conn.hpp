#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <utility>

#include "preshard/backend/reply_sink.hpp"
#include "preshard/backend/stream_conn.hpp"
#include "preshard/core/ring.hpp"

namespace preshard::backend {

// A pipelined connection to one instance: commands are written in order and replies matched in
// FIFO order. The worker's shared connection to a shard is one; so are the dedicated ones that
// serve one client at a time (a blocking command, a WATCH). Failures answer every command in
// flight with an error and reset the connection, so a late reply never answers a later command.
class PipelineConn : public StreamConn {
 public:
  using StreamConn::StreamConn;

  // How long a reply may take beyond timeout_ms: zero for ordinary commands, a blocking
  // command's own timeout, or nullopt for one that may block forever (connect_timeout_ms
  // always applies).
  void set_extra_wait(std::optional<std::chrono::milliseconds> extra) { extra_wait_ = extra; }
  // An ordinary connection (the shared one, a WATCH's), not one holding a blocked command.
  bool timed() const { return extra_wait_ == std::chrono::milliseconds(0); }

  // Queues `req`; its reply or failure goes to `sink` with `tag`. A target known to be down
  // fails the command at once, inside this call.
  // `script`: it runs a script; one still running past the reply timeout is killed (SCRIPT KILL
  // and FUNCTION KILL from a side connection) so that it alone fails, and the commands queued
  // behind it run; it fails the connection only if it still has not ended timeout_ms later.
  void submit(const resp::Request& req, std::shared_ptr<ReplySink> sink, uint64_t tag,
              bool script = false) {
    submit_block({&req, 1}, std::move(sink), tag, tag, script);
  }
  // Queues commands back to back (a MULTI ... EXEC block): all are sent or all fail. The last
  // one's reply goes to `sink` with `tag`, the others' with `inner_tag`.
  void submit_block(std::span<const resp::Request> reqs, std::shared_ptr<ReplySink> sink,
                    uint64_t tag, uint64_t inner_tag, bool script = false);
  // Fails commands waiting longer than the timeout, and connects that take too long.
  void check_timeouts(Clock::time_point now);

  // Why commands queue here without being sent.
  enum Hold : unsigned {
    kPaused = 1,            // PROXY PAUSE of the shard
    kAwaitPredecessor = 2,  // a reload moved the shard: the old connection's commands go first
  };
  void hold(Hold h) { holds_ |= h; }
  void release(Hold h);
  bool held() const { return holds_ != 0; }
  // Calls `f` once no command sent on this connection is unanswered (at once if none is).
  void when_drained(std::function<void()> f);
  // The shard moved to another target: commands already sent are answered here, commands not
  // yet sent move to `successor` (held with kAwaitPredecessor until those answers are in), then
  // this connection closes.
  void retire(const std::shared_ptr<PipelineConn>& successor);

  size_t in_flight() const { return pending_.size(); }
  // Commands written (or being written) and not answered yet.
  size_t sent_in_flight() const { return pending_.size() - unsent_; }
  // Ready with nothing in flight: a dedicated connection that can serve another command.
  bool reusable() const { return ready() && pending_.empty(); }

 private:
  // A script counted in ServerState::scripts_running while its command waits here (or on the
  // successor it moves to), whichever way it ends.
  class ScriptMark {
   public:
    ScriptMark() = default;
    explicit ScriptMark(std::atomic<int>* running) : running_(running) {
      if (running_) running_->fetch_add(1, std::memory_order_relaxed);
    }
    ScriptMark(ScriptMark&& o) noexcept : running_(std::exchange(o.running_, nullptr)) {}
    ScriptMark& operator=(ScriptMark&& o) noexcept {
      std::swap(running_, o.running_);
      return *this;
    }
    ~ScriptMark() {
      if (running_) running_->fetch_sub(1, std::memory_order_relaxed);
    }

   private:
    std::atomic<int>* running_ = nullptr;
  };
  struct Pending {
    std::shared_ptr<ReplySink> sink;
    uint64_t tag;
    Clock::time_point queued_at;
    bool script = false;
    ScriptMark mark{};
  };
  void count_failed(core::errors::Kind kind, size_t n);
  // Each of a block's n commands gets `error` (the last under `tag`, the others `inner_tag`).
  void fail_block(size_t n, ReplySink& sink, uint64_t tag, uint64_t inner_tag,
                  const core::errors::Error& error);
  // The oldest command is a script past its bound: kill it from a side connection.
  void kill_script(Clock::time_point now);

  void on_reply(std::string_view raw) override;
  bool begin_stream() override;
  bool on_reply_part(std::string_view part) override;
  void on_progress() override;
  void on_failed(const core::errors::Error& error) override;
  bool may_write() const override { return holds_ == 0; }
  void on_write_started() override { unsent_ = 0; }
  size_t in_flight_for_log() const override { return pending_.size(); }
  // After answers: tells whoever waits for this connection to have nothing sent unanswered.
  void notify_if_drained();

  std::optional<std::chrono::milliseconds> extra_wait_ = std::chrono::milliseconds(0);
  core::Ring<Pending> pending_;
  size_t unsent_ = 0;  // the last entries of pending_, whose commands are still in out()
  unsigned holds_ = 0;
  std::function<void()> on_drained_;
  std::shared_ptr<PipelineConn> successor_;
  std::shared_ptr<PipelineConn> killer_;  // the side connection for SCRIPT/FUNCTION KILL
  Clock::time_point kill_deadline_{};     // {}: no kill sent for the oldest command
  Clock::time_point front_since_{};       // when the oldest command became the oldest
};

}  // namespace preshard::backend
