#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "preshard/backend/conn_mode.hpp"
#include "preshard/backend/target_health.hpp"
#include "preshard/config/endpoint.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/net/asio.hpp"
#include "preshard/net/flushable.hpp"
#include "preshard/net/transport.hpp"
#include "preshard/resp/reply_framer.hpp"
#include "preshard/resp/request.hpp"
#include "preshard/router/routing_table.hpp"
#include "preshard/stats/stats.hpp"

namespace preshard::net {
class Worker;
}

namespace preshard::backend {

namespace asio = boost::asio;
using net::Clock;
using net::error_code;
using net::tcp;

// One command a new connection sends before anything else, and what its reply must be (the
// handshake: AUTH, HELLO, SELECT, ROLE, ... as later issues need them). `check` returns "" or
// why the instance cannot be used.
// What a step's check found: nothing ("" = fine), why the instance cannot be used, or (fence)
// that it answers but is not what the connection needs (ROLE: a replica where a master is
// wanted; `why` is then the role it has), so its commands get READONLY naming the shard.
struct StepResult {
  StepResult(std::string w = "", bool f = false) : why(std::move(w)), fence(f) {}
  StepResult(const char* w) : why(w) {}
  std::string why;
  bool fence = false;
};
struct HandshakeStep {
  resp::Request command;
  StepResult (*check)(std::string_view reply);
  // Also made by the side connection that sends SCRIPT KILL to a busy instance (which answers
  // BUSY to ROLE, so that step is not).
  bool on_side_connections = true;
};

// A byte stream to one instance: connect, then the handshake steps, then ready; and ONE
// teardown for every way it ends. Subclasses say what a reply means (on_reply) and what a
// failure does to the commands they hold (on_failed). Handlers of a torn-down connection do
// nothing: each teardown starts a new epoch.
class StreamConn : public std::enable_shared_from_this<StreamConn>, public net::Flushable {
 public:
  StreamConn(net::Worker& worker, size_t shard, router::TargetId target, config::Endpoint address,
             std::shared_ptr<TargetHealth> health);
  ~StreamConn() override;

  void flush() override;
  // Ends the connection now; what it holds fails with "proxy shutting down". A later command
  // opens a new one.
  void close();

  size_t shard() const { return shard_; }
  router::TargetId target() const { return target_; }
  const config::Endpoint& endpoint() const { return endpoint_; }
  // Changes whenever the connection is (re)made or reset: state kept on the instance's side
  // (WATCH, SUBSCRIBE) is gone once it differs from the value seen when that state was set up.
  uint64_t epoch() const { return epoch_; }
  bool ready() const { return state_ == State::kReady; }
  // Connecting, in its handshake or ready: not failed since the last (re)connect began.
  bool live() const { return state_ != State::kIdle; }
  void set_handshake(std::vector<HandshakeStep> steps) { handshake_ = std::move(steps); }
  // Speak TLS to the instance, whose certificate must name `server_name` (tls_backends).
  void set_tls(std::string server_name) { tls_name_ = std::move(server_name); }
  const std::string& tls_name() const { return tls_name_; }
  // The protocol its replies come in and its database (set up by its handshake).
  const ConnMode& mode() const { return mode_; }
  resp::Protocol protocol() const { return mode_.protocol; }
  void set_mode(ConnMode m) { mode_ = m; }
  // Scripts loaded on the instance through this connection (SCRIPT LOAD sent on it) since it was
  // (re)made, in script-cache generation `gen` (a SCRIPT FLUSH starts a new one). A teardown
  // forgets them: the instance may have restarted.
  bool script_loaded(const std::string& sha, uint64_t gen) const {
    return gen == scripts_gen_ && scripts_.count(sha) != 0;
  }
  void note_script_loaded(const std::string& sha, uint64_t gen);
  const std::vector<HandshakeStep>& handshake() const { return handshake_; }

 protected:
  // Bytes to send once ready (connecting first if needed). False (nothing queued) when the
  // target is in its backoff.
  bool can_queue();
  std::string& out() { return out_; }
  // Queues a command (stream_conn_queue.cpp). A large one's large arguments are not copied:
  // they are written from the request's own buffer (Request::share), between out()'s bytes.
  void append_request(const resp::Request& req);
  void move_queued_to(StreamConn& other);  // every command not yet handed to the socket
  bool queue_empty() const { return out_.empty(); }
  // Bytes queued and not yet handed to the socket (the write in progress, itself a queue that
  // was within the bound, is not counted: a small command may follow a large one).
  size_t queued_bytes() const { return out_.size() + shared_bytes_; }
  void start_sending();  // after appending to out(): connect, or flush this loop turn
  void check_connect_timeout(Clock::time_point now);
  // The connection is unusable: teardown, then on_failed with the client-visible error.
  // `down` marks the target down (a failed connect); a nonzero `timed_out_after` words it as a
  // timeout of that long.
  void fail(const std::string& why, const std::string& log_reason, bool down,
            std::chrono::milliseconds timed_out_after = std::chrono::milliseconds(0));

  virtual void on_reply(std::string_view raw) = 0;
  // Streaming (reply_stream_bytes): may the oldest command's reply come in parts? Then every
  // part but the last goes to on_reply_part() (false: read no more until resumer() is called),
  // the last to on_reply().
  virtual bool begin_stream() { return false; }
  virtual bool on_reply_part(std::string_view /*part*/) { return true; }
  // Bytes of a reply begun but not finished arrived: the instance is answering.
  virtual void on_progress() {}
  // Restarts reading after on_reply_part() said false (from anywhere: it runs on a later turn).
  std::function<void()> resumer();
  bool reading_paused() const { return reading_paused_; }
  virtual void on_failed(const core::errors::Error& error) = 0;
  virtual bool may_write() const { return true; }  // false while held
  virtual void on_write_started() {}               // out() was handed to the socket
  virtual size_t in_flight_for_log() const { return 0; }

  // This shard's counters on this worker (null in a harness that counts no shards).
  void count_shard(stats::Counter stats::ShardCounters::*field, uint64_t n = 1) {
    if (shard_stats_ != nullptr) stats::ThreadStats::add(shard_stats_->*field, n);
  }
  void sub_shard(stats::Counter stats::ShardCounters::*field, uint64_t n = 1) {
    if (shard_stats_ != nullptr) stats::ThreadStats::sub(shard_stats_->*field, n);
  }

  net::Worker& worker_;
  std::shared_ptr<TargetHealth> health_;
  stats::ShardCounters* shard_stats_;

 private:
  enum class State { kIdle, kConnecting, kHandshaking, kReady };
  void connect();
  void connect_to(const tcp::endpoint& ep, uint64_t epoch);
  void on_connected();
  void on_secured();  // connected (and, with TLS, handshaken): the steps, then ready
  void write(std::string& buffer);
  void write_gathered();  // writing_ with writing_segs_ spliced in
  void on_written(uint64_t epoch, const error_code& ec);
  void read_more();
  void on_read(uint64_t epoch, const error_code& ec, size_t n);
  void deliver_replies();  // stream_conn_replies.cpp
  // A handshake step's reply; false if the connection was reset.
  bool on_handshake_reply(std::string_view raw);
  bool deliver_part();  // streaming: false if there is nothing more to deliver now
  void resume_reading(uint64_t epoch);
  void teardown();

  size_t shard_;
  router::TargetId target_;
  config::Endpoint endpoint_;
  std::unique_ptr<tcp::socket> socket_;  // while connecting
  // Once connected. A TLS stream is shared with the handlers of its operations: it must outlive
  // them, even once torn down (a plain socket may go first: its operations just end).
  std::shared_ptr<net::Transport> stream_;
  std::string tls_name_;  // "" = plain TCP
  State state_ = State::kIdle;
  uint64_t epoch_ = 0;
  std::string out_;      // not yet handed to the socket
  std::string writing_;  // being written
  // A large argument shared with its request, written after the first `at` bytes of out_ (or
  // of writing_, once handed to the socket).
  struct Segment {
    size_t at;
    std::shared_ptr<const std::string> owner;
    std::string_view bytes;
  };
  std::vector<Segment> segs_, writing_segs_;
  size_t shared_bytes_ = 0;  // the size of segs_
  bool write_active_ = false;
  bool reading_paused_ = false;  // a streamed reply's client is not taking more
  resp::ReplyFramer framer_;
  Clock::time_point connect_started_{};
  std::vector<HandshakeStep> handshake_;
  size_t handshake_left_ = 0;  // replies of handshake steps still to come
  ConnMode mode_;
  std::unordered_set<std::string> scripts_;  // see script_loaded()
  uint64_t scripts_gen_ = 0;
};

}  // namespace preshard::backend
