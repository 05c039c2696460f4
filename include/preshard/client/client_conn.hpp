#pragma once
#include <memory>
#include <string>

#include "preshard/core/reply_queue.hpp"
#include "preshard/net/flushable.hpp"
#include "preshard/net/transport.hpp"
#include "preshard/proxy/client_port.hpp"
#include "preshard/proxy/client_state.hpp"
#include "preshard/proxy/context.hpp"
#include "preshard/resp/request.hpp"
#include "preshard/resp/request_reader.hpp"

namespace preshard::client {

// One client connection: reads and frames its commands, hands each to the proxy's dispatcher,
// and writes the replies back in request order, within the client's limits. It knows nothing
// of commands. Lives as long as its socket or any command it has in flight.
class ClientConn : public std::enable_shared_from_this<ClientConn>,
                   public proxy::ClientPort,
                   public net::Flushable {
 public:
  // `tls`: the context of the TLS port it came in on (null: plain TCP).
  ClientConn(proxy::Context& ctx, net::tcp::socket socket,
             std::shared_ptr<net::asio::ssl::context> tls = nullptr);

  void start();

  // proxy::ClientPort
  uint64_t reserve() override;
  void reply_now(std::string_view raw) override;
  void error_now(const core::errors::Error& error) override;
  void count_error(core::errors::Kind kind) override;
  void close_after_replies() override;
  void block(uint64_t slot) override;
  bool all_answered() const override { return replies_.pending() == 0; }
  void dispatch_when_answered() override { deferred_ = true; }
  void push_message(std::string_view raw) override;
  std::shared_ptr<ClientPort> shared() override { return shared_from_this(); }
  void rebind_user() override;
  // A channel or pattern it is subscribed to that its user may not use ("" = none).
  std::string lost_channel() const;
  uint64_t id() const override { return id_; }
  const std::string& peer() const override { return transport_.peer(); }
  const std::string& local() const override { return transport_.local(); }
  std::string describe() override;  // client_info.cpp
  net::Clock::time_point created() const override { return created_; }
  void drain() override;
  void close() override;

  // backend::ReplySink: a reply for a slot (from an instance, a merge, or the proxy).
  void on_reply(uint64_t slot, std::string_view raw) override;
  void on_failure(uint64_t slot, const core::errors::Error& error) override;
  // A large reply passed on as it arrives (client_stream.cpp).
  bool stream_begin(uint64_t slot) override;
  bool stream_part(uint64_t slot, std::string_view part, std::function<void()> resume) override;

  // net::Flushable
  void flush() override;
  bool is_client() const override { return true; }

 private:
  void read_more();
  void on_read(const net::error_code& ec, size_t n);
  void process_input();
  // Moves input not yet parsed into held_input_ (so that the read buffer can be reused).
  void hold_unparsed();
  void after_write(const net::error_code& ec);
  bool over_limits() const;
  void resume_if_possible();
  void finish_if_done();
  void request_flush();
  // The first slot the command being dispatched reserves carries its row and arrival (one
  // call per command, however many replies it has).
  void begin_command() {
    tag_pending_ = true;
    cmd_start_ = ctx_.worker().last_stamp();
    state_.cmd_silent = state_.reply_off || std::exchange(state_.reply_skip_next, false);
    state_.shards.clear();  // a keyless command's slowlog entry names none
  }
  // A reply filled the slot with tag `tag`: the command's statistics.
  void count_command(uint64_t seq, const core::SlotTag& tag, std::string_view reply);
  // SLOWLOG, lazily: a command's arguments stay in request_ until the next one is parsed; only
  // then, if its reply is still to come, are they copied into its slot's note
  // (keep_previous_command), so a client that waits for each reply costs no copy.
  void keep_previous_command();
  void log_slow(uint64_t seq, uint64_t micros);  // into the proxy's SLOWLOG
  // The instance may send more of the streamed reply (written down enough, or closed).
  void wake_stream();
  void stream_cut(const core::errors::Error& why);  // its reply cannot be finished: close
  size_t output_bytes() const { return out_.size() + writing_.size() + replies_.held_bytes(); }

  proxy::Context& ctx_;
  net::Transport transport_;
  uint64_t id_;
  net::Clock::time_point created_ = net::Clock::now();
  proxy::ClientState state_;

  // Reads go into small_buf_ while they fit (an idle client holds no more), into a 16 KB
  // big_buf_ once one fills it; after kShrinkAfter reads in a row that would have fit the small
  // one, the big one is freed (docs/performance.md: idle client memory).
  static constexpr size_t kSmallRead = 128;  // a GET or SET of a short value: ~50 bytes
  static constexpr size_t kBigRead = 16 * 1024;
  static constexpr uint8_t kShrinkAfter = 64;
  char* read_buffer() { return big_buf_ ? big_buf_.get() : small_buf_; }
  size_t read_capacity() const { return big_buf_ ? kBigRead : kSmallRead; }
  void adapt_read_buffer(size_t n);  // after a read of n bytes, processed or held
  char small_buf_[kSmallRead];
  std::unique_ptr<char[]> big_buf_;
  size_t last_read_ = 0;
  uint8_t small_reads_ = 0;    // reads in a row that fit small_buf_, while big_buf_ is in use
  std::string_view unparsed_;  // received bytes not yet parsed (reading pauses under limits)
  std::string held_input_;     // input received while blocked; unparsed_ views it when set
  resp::RequestReader reader_;
  bool reader_unauth_ = false;  // reader_ has the unauthenticated bounds
  resp::Request request_;

  // The slot of the blocking command in flight: later commands wait until it is answered.
  bool blocked_ = false;
  uint64_t blocked_slot_ = 0;

  core::ReplyQueue replies_;
  bool tag_pending_ = false;
  // The tagged slot of the command in request_ (kNoSlot: none); its note is not filled.
  static constexpr uint64_t kNoSlot = ~uint64_t{0};
  uint64_t request_slot_ = kNoSlot;
  net::Clock::time_point cmd_start_{};
  std::string out_;      // replies in order, not yet handed to the socket
  std::string writing_;  // replies being written
  // The slot whose reply is being streamed (kNoSlot: none), and how to ask for more of it.
  uint64_t stream_slot_ = kNoSlot;
  std::function<void()> stream_resume_;

  bool reading_ = false;
  bool direct_read_ = false;  // the read in progress goes straight into a large argument
  bool write_active_ = false;
  bool processing_ = false;
  bool deferred_ = false;         // request_ waits for all_answered() (dispatch_when_answered)
  bool paused_ = false;           // reading stopped by client_max_pending/output limits
  bool close_when_done_ = false;  // QUIT, protocol error, EOF or shutdown: finish, then close
  bool closed_ = false;
  // TLS: the handshake first, bounded by tls_handshake_timeout_ms (client_tls.cpp).
  void start_tls();
  void authenticate_by_certificate();  // tls_auth_clients_user: CN
  std::unique_ptr<net::asio::steady_timer> handshake_timer_;
};

}  // namespace preshard::client
