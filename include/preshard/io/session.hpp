#pragma once
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "preshard/backend/reply_sink.hpp"
#include "preshard/command/command_spec.hpp"
#include "preshard/command/command_table.hpp"
#include "preshard/core/reply_queue.hpp"
#include "preshard/io/context.hpp"
#include "preshard/io/pubsub_hub.hpp"
#include "preshard/net/asio.hpp"
#include "preshard/net/flushable.hpp"
#include "preshard/net/transport.hpp"
#include "preshard/resp/request.hpp"
#include "preshard/resp/request_reader.hpp"

namespace preshard::io {

struct LocalCommands;

// One client connection: reads commands, routes each one, and writes the replies back in
// request order. Lives as long as its socket or any command it has in flight.
class Session : public std::enable_shared_from_this<Session>, public ReplySink, public Flushable {
 public:
  Session(Context& ctx, tcp::socket socket);

  void start();
  // Shutdown: read no more commands, answer those in flight, then close.
  void drain();
  // Closes now; replies still to come are dropped.
  void close();

  // Tag of a backend command whose reply the client does not see (MULTI and QUEUED replies
  // inside an EXEC block, UNWATCH of a pinned connection).
  static constexpr uint64_t kNoSlot = ~0ull;

  void on_reply(uint64_t seq, std::string_view raw) override;
  void on_failure(uint64_t seq, const core::errors::Error& error) override;
  void flush() override;
  bool is_client() const override { return true; }

  uint64_t id() const { return id_; }

  // Pub/sub: a message for one of this client's topics, exactly as the instance sent it.
  void push_message(std::string_view raw);
  // Its subscriptions can no longer be served: answer what is queued, then close.
  void lose_subscriptions();

 private:
  friend struct LocalCommands;

  // session.cpp: the connection
  void read_more();
  void on_read(const error_code& ec, size_t n);
  void process_input();
  // Moves input not yet parsed into held_input_ (so that the read buffer can be reused).
  void hold_unparsed();
  void after_write(const error_code& ec);
  bool over_limits() const;
  void resume_if_possible();
  void finish_if_done();
  void request_flush();

  // dispatch.cpp: what to do with each command
  void dispatch(const resp::Request& req);
  // The shard of the command's first key (0 without keys or with malformed key arguments:
  // Redis then refuses it itself); `spans` says whether its keys are on several shards.
  size_t locate(const command::CommandSpec& spec, const resp::Request& req, bool& spans);
  void forward_keyed(const command::CommandSpec& spec, const resp::Request& req);
  void forward_blocking(const command::CommandSpec& spec, const resp::Request& req);
  void finish_blocking();
  void forward(size_t shard, const resp::Request& req);
  void forward_split(const command::CommandSpec& spec, const resp::Request& req);
  void forward_broadcast(const command::CommandSpec& spec, const resp::Request& req);
  void forward_scan(const resp::Request& req);
  // INFO with its Keyspace section: the proxy's sections, then the shards' keyspace summed.
  void forward_info(const resp::Request& req);
  void reply_raw(std::string_view raw);
  void reply_error(const core::errors::Error& error);
  // Counts an error reply of this kind (INFO errorstats of the proxy).
  void count_error(core::errors::Kind kind);

  // transaction.cpp: MULTI/EXEC/DISCARD/WATCH/UNWATCH. Returns false when the command is not
  // the transaction's business (not inside MULTI and not a transaction command).
  bool transaction_takes(const command::CommandSpec& spec, const resp::Request& req);
  void queue_in_multi(const command::CommandSpec& spec, const resp::Request& req);
  void watch(const command::CommandSpec& spec, const resp::Request& req);
  void exec();
  // Ends a WATCH: the pinned connection is unwatched and given back once idle.
  void unpin();
  void release_pin_if_idle();
  // The connection a command for `shard` goes on: the pinned one while it serves that shard,
  // so that the client's own commands stay in order with its WATCH and EXEC.
  PipelineConn& backend_for(size_t shard);
  // The pinned connection still goes to its shard's instance (no reload moved it).
  bool pin_current() const;
  PipelineConn* current_pin() const { return pin_ && pin_current() ? pin_.get() : nullptr; }

  // pubsub.cpp: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH
  void pubsub_command(const command::CommandSpec& spec, const resp::Request& req);
  void subscribe_to(Topic kind, const resp::Request& req);
  void unsubscribe_from(Topic kind, const resp::Request& req);
  void unsubscribe_all();
  bool subscribed() const {
    return !subs_.channels.empty() || !subs_.patterns.empty() || !subs_.shard_channels.empty();
  }

  // admin_commands.cpp: PROXY RELOAD/PAUSE/RESUME (AUTH admin first when admin_password is set)
  void admin_command(const command::CommandSpec& spec, const resp::Request& req);

  // local_commands.cpp: commands the proxy answers itself
  void run_local(const command::CommandSpec& spec, const resp::Request& req);

  Context& ctx_;
  net::Transport transport_;
  uint64_t id_;
  std::string name_;
  bool admin_ = false;  // AUTH admin <admin_password> succeeded
  Clock::time_point created_ = Clock::now();

  std::unique_ptr<char[]> read_buf_;
  std::string_view unparsed_;  // received bytes not yet parsed (reading pauses under limits)
  std::string held_input_;     // input received while blocked; unparsed_ views it when set
  resp::RequestReader reader_;
  resp::Request request_;
  std::vector<size_t> keys_;    // argument indexes of the current command's keys
  std::vector<size_t> shards_;  // the shard of each of those keys
  std::string scratch_;

  // The blocking command in flight, on its own connection; reading pauses until it returns,
  // as Redis holds a blocked client's later commands.
  std::shared_ptr<PipelineConn> blocking_conn_;
  uint64_t blocking_seq_ = 0;

  // The client's subscriptions; Redis's reply counts are computed from these.
  struct Subscriptions {
    std::unordered_set<std::string> channels, patterns, shard_channels;
  };
  Subscriptions subs_;

  // A transaction being queued (between MULTI and EXEC/DISCARD).
  struct Multi {
    bool active = false;
    bool dirty = false;  // a command was refused while queueing: EXEC aborts
    std::vector<resp::Request> queued;
    size_t queued_bytes = 0;
  };
  Multi multi_;
  // The shard the transaction runs on: set by WATCH or by MULTI's first keyed command.
  std::optional<size_t> txn_shard_;
  // WATCH's dedicated connection, pinned until EXEC/DISCARD/UNWATCH/RESET; pin_epoch_ tells
  // whether it was reset since (the instance then forgot the WATCH).
  std::shared_ptr<PipelineConn> pin_;
  uint64_t pin_epoch_ = 0;
  bool pin_releasing_ = false;  // unwatched: give it back once its commands are answered

  core::ReplyQueue replies_;
  std::string out_;      // replies in order, not yet handed to the socket
  std::string writing_;  // replies being written

  bool reading_ = false;
  bool write_active_ = false;
  bool processing_ = false;
  bool paused_ = false;           // reading stopped by client_max_pending/output limits
  bool close_when_done_ = false;  // QUIT, protocol error, EOF or shutdown: finish, then close
  bool closed_ = false;
};

}  // namespace preshard::io
