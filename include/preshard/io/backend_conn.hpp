#pragma once
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "preshard/config/endpoint.hpp"
#include "preshard/io/asio.hpp"
#include "preshard/io/flushable.hpp"
#include "preshard/io/reply_sink.hpp"
#include "preshard/resp/reply_framer.hpp"
#include "preshard/resp/request.hpp"
#include "preshard/router/routing_table.hpp"

namespace preshard::io {

class Worker;

// One pipelined connection from a worker to one instance, shared by all the worker's clients.
// Commands are written in order and replies matched in FIFO order. Failures answer every
// command in flight with an error and reset the connection, so that a late reply can never be
// taken for a later command's.
class BackendConn : public std::enable_shared_from_this<BackendConn>, public Flushable {
 public:
  BackendConn(Worker& worker, size_t shard, router::TargetId target, config::Endpoint address);

  // For a blocking command, whose own timeout governs: timeout_ms does not apply to replies
  // (connect_timeout_ms still does).
  void set_untimed(bool untimed) { untimed_ = untimed; }
  bool timed() const { return !untimed_; }
  // Subscriber mode (pub/sub): every reply, confirmations and messages alike, goes to `sink`
  // tagged with the shard; none is matched to a command and none is awaited, so no timeout
  // applies. A failure of the connection is told to `sink` once, tagged likewise.
  void make_subscriber(std::weak_ptr<ReplySink> sink) {
    subscriber_ = std::move(sink);
    is_subscriber_ = true;
  }

  // Queues `req`; its reply or failure goes to `sink` with `tag`. A shard known to be down
  // fails the command at once, inside this call.
  void submit(const resp::Request& req, std::shared_ptr<ReplySink> sink, uint64_t tag) {
    submit_block({&req, 1}, std::move(sink), tag, tag);
  }
  // Queues commands back to back (a MULTI ... EXEC block): all are sent or all fail. The last
  // one's reply goes to `sink` with `tag`, the others' with `inner_tag`.
  void submit_block(std::span<const resp::Request> reqs, std::shared_ptr<ReplySink> sink,
                    uint64_t tag, uint64_t inner_tag);
  void flush() override;
  // Fails commands waiting longer than the timeout, and connects that take too long.
  void check_timeouts(Clock::time_point now);
  void close();

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
  // The shard moved to another instance: commands already sent are answered here, commands
  // not yet sent move to `successor` (held with kAwaitPredecessor until those answers are in),
  // then this connection closes.
  void retire(const std::shared_ptr<BackendConn>& successor);
  bool retired() const { return retired_; }

  size_t in_flight() const { return pending_.size(); }
  // Commands written (or being written) and not answered yet.
  size_t sent_in_flight() const { return pending_.size() - unsent_; }
  // Connected with nothing in flight: a dedicated connection that can serve another command.
  bool reusable() const { return state_ == State::kConnected && pending_.empty(); }
  // Connected or connecting: not failed since the last (re)connect began.
  bool live() const { return state_ == State::kConnected || state_ == State::kConnecting; }
  size_t shard() const { return shard_; }
  // Changes whenever the connection is (re)made or reset: state kept on the instance's side
  // (WATCH) is gone once it differs from the value seen when that state was set up.
  uint64_t epoch() const { return epoch_; }
  router::TargetId target() const { return target_; }
  const config::Endpoint& endpoint() const { return endpoint_; }

 private:
  enum class State { kIdle, kConnecting, kConnected, kDown };
  struct Pending {
    std::shared_ptr<ReplySink> sink;
    uint64_t tag;
    Clock::time_point queued_at;
  };

  void connect();
  void connect_to(const tcp::endpoint& ep, uint64_t epoch);
  void on_connected(uint64_t epoch);
  void read_more();
  void on_read(uint64_t epoch, const error_code& ec, size_t n);
  void deliver_replies();
  // Ends the connection: every command in flight fails, with "shard N is unavailable (why)" or,
  // for `timeout`, "shard N did not answer". `down` starts the backoff during which new
  // commands fail at once.
  void fail(const std::string& why, const std::string& log_reason, bool down, bool timeout = false);
  // The one teardown of a connection, for fail() and close() alike: socket, resolver, framer
  // and write state are reset and a new epoch begins; commands in flight are the caller's.
  void teardown();
  // After answers: tells whoever waits for this connection to have nothing sent unanswered.
  void notify_if_drained();

  Worker& worker_;
  size_t shard_;
  router::TargetId target_;
  config::Endpoint endpoint_;
  bool untimed_ = false;
  std::weak_ptr<ReplySink> subscriber_;
  bool is_subscriber_ = false;  // checked per command and reply, so no weak_ptr access then
  std::unique_ptr<tcp::socket> socket_;
  std::unique_ptr<tcp::resolver> resolver_;
  State state_ = State::kIdle;
  uint64_t epoch_ = 0;   // bumped at every reset; handlers of an older connection do nothing
  std::string out_;      // commands not yet handed to the socket
  std::string writing_;  // commands being written
  bool write_active_ = false;
  std::deque<Pending> pending_;
  size_t unsent_ = 0;  // the last entries of pending_, whose commands are still in out_
  unsigned holds_ = 0;
  std::function<void()> on_drained_;
  std::shared_ptr<BackendConn> successor_;
  bool retired_ = false;
  resp::ReplyFramer framer_;
  Clock::time_point connect_started_{};
  Clock::time_point retry_at_{};
  unsigned backoff_ms_ = 0;
  std::string down_reason_;
  // The failure of every command submitted while the shard is down (built once per failure).
  void fail_now(std::span<const resp::Request> reqs, ReplySink& sink, uint64_t tag,
                uint64_t inner_tag);
};

}  // namespace preshard::io
