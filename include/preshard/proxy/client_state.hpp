#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "preshard/acl/user.hpp"
#include "preshard/backend/pipeline_conn.hpp"
#include "preshard/command/command_spec.hpp"
#include "preshard/core/lazy.hpp"
#include "preshard/resp/reply_writer.hpp"
#include "preshard/resp/request.hpp"

namespace preshard::proxy {

// A transaction and its WATCH pin. MULTI queues commands in the proxy; EXEC sends MULTI, them
// and EXEC back to back to the transaction's shard. WATCH pins a dedicated connection (the
// instance remembers the WATCH there) until EXEC/DISCARD/UNWATCH/RESET, and the client's
// commands for that shard go on it, so nothing overtakes the WATCH.
class Transaction {
 public:
  // What the instance said of the commands queued so far (multi_queue_check: instance): the
  // probes still unanswered, and whether one was refused. Shared with the probes' sinks; a new
  // transaction gets a new one, so a late probe of an earlier one changes nothing here.
  struct Probes {
    unsigned in_flight = 0;
    bool refused = false;
  };
  bool active() const { return active_; }
  bool dirty() const { return dirty_ || (probes_ && probes_->refused); }
  // The probes of this transaction (made at the first).
  const std::shared_ptr<Probes>& probes() {
    if (!probes_) probes_ = std::make_shared<Probes>();
    return probes_;
  }
  bool probes_pending() const { return probes_ && probes_->in_flight > 0; }
  void begin() { active_ = true; }
  void mark_dirty() { dirty_ = true; }
  // Adds a command; false (and dirty) when the queue would exceed `max_bytes`.
  bool queue(const resp::Request& req, size_t max_bytes);
  // Ends MULTI: the queued commands, and the state reset for the next one.
  std::vector<resp::Request> take_queue();
  void discard_queue();
  size_t queued_count() const { return queued_.size(); }
  size_t queued_bytes() const { return queued_bytes_; }

  // The shard the transaction runs on: set by WATCH or by MULTI's first keyed command.
  const std::optional<size_t>& shard() const { return shard_; }
  void bind(size_t shard) { shard_ = shard; }
  void unbind() { shard_.reset(); }

  // WATCH's connection. pinned(): set and not being given back.
  const std::shared_ptr<backend::PipelineConn>& pin() const { return pin_; }
  bool pinned() const { return pin_ && !releasing_; }
  // A pin (or an earlier one) is being given back once its commands are answered.
  bool releasing() const { return releasing_ || !retired_.empty(); }
  // A new pin; an unwatched pin still finishing its commands must be retire_pin()ed first.
  void set_pin(std::shared_ptr<backend::PipelineConn> conn);
  void keep_pin() { releasing_ = false; }  // a WATCH again on the pin's shard: not given back
  // The pin being given back stays aside until idle, so that a WATCH on another shard can pin
  // a connection of its own meanwhile (pipelined WATCH a; UNWATCH; WATCH b).
  void retire_pin();
  // The pin to `shard` (current, else the newest retired one): the client's commands for that
  // shard follow it there, so none overtakes what it still has in flight. nullptr: none.
  backend::PipelineConn* pin_for(size_t shard) const {
    if (pin_ && pin_->shard() == shard) return pin_.get();
    return retired_.empty() ? nullptr : retired_pin_for(shard);  // no pin: the common case
  }
  // WATCH may keep the pin it has: it is set and to this shard.
  bool can_rewatch(size_t shard) const;
  // The instance forgot the WATCH: its connection was reset since, or a reload moved it; or it
  // has another mode than the client now has (HELLO or SELECT since).
  bool pin_lost(router::TargetId current_target, const backend::ConnMode& mode) const;
  // From now on the pin only finishes its commands, then goes back (release_if_idle).
  void start_release() { releasing_ = true; }
  void note_watch() { epoch_ = pin_->epoch(); }
  // The released pins that are idle now: the caller gives them back to the pool.
  std::vector<std::shared_ptr<backend::PipelineConn>> take_idle();
  // Every pin, the current one and the retired ones (the client is going away).
  std::vector<std::shared_ptr<backend::PipelineConn>> take_all();

 private:
  bool active_ = false;
  bool dirty_ = false;  // a command was refused while queueing: EXEC aborts
  std::shared_ptr<Probes> probes_;
  std::vector<resp::Request> queued_;
  size_t queued_bytes_ = 0;
  std::optional<size_t> shard_;
  std::shared_ptr<backend::PipelineConn> pin_;
  uint64_t epoch_ = 0;  // the pin's epoch at WATCH
  backend::PipelineConn* retired_pin_for(size_t shard) const;

  bool releasing_ = false;  // unwatched: give it back once its commands are answered
  std::vector<std::shared_ptr<backend::PipelineConn>> retired_;  // released, still busy
};

// The client's subscriptions; Redis's reply counts are computed from these.
struct Subscriptions {
  std::unordered_set<std::string> channels, patterns, shard_channels;
  bool any() const { return !channels.empty() || !patterns.empty() || !shard_channels.empty(); }
};

// Everything the proxy keeps about one client: plain data, owned by the client connection and
// handed to the dispatcher with each command.
struct ClientState {
  resp::Protocol protocol = resp::Protocol::kResp2;
  int db = 0;
  // The instance connections its commands go on.
  backend::ConnMode mode() const { return {protocol, db}; }
  std::string name;
  std::string user = "default";  // the user its commands run as (CLIENT LIST's user=)
  // That user in the worker's users snapshot (Context::users); rebound on every reload.
  const acl::User* acl_user = nullptr;
  bool authenticated = false;  // AUTH succeeded, or none was needed when it connected
  // Authenticated as a user with every command, key and channel: the dispatcher checks nothing.
  bool unrestricted = false;
  // Binds the client to `u` (set_user is the only writer of these four).
  void set_user(const acl::User& u, bool is_authenticated) {
    user = u.name;
    acl_user = &u;
    authenticated = is_authenticated;
    unrestricted = is_authenticated && u.all_commands && u.all_keys && u.all_channels;
  }
  bool no_evict = false;  // CLIENT NO-EVICT on (shown as flag 'e'; nothing to evict)
  // CLIENT REPLY: OFF, or SKIP (the next command's reply); cmd_silent: the command being
  // dispatched is not answered (its reply is read from the instance and dropped).
  bool reply_off = false;
  bool reply_skip_next = false;
  bool cmd_silent = false;
  // The latest command (CLIENT LIST's cmd=) and when it came (the worker's coarse clock).
  const command::CommandSpec* last_cmd = nullptr;
  net::Clock::time_point last_active{};
  // The command being dispatched, for its statistics: its row (none for an unknown one), and
  // whether it was refused before it ran (the dispatcher sets both before any reply).
  uint16_t cmd_row = 0xffff;
  bool cmd_rejected = false;
  // Allocated on first use (core/lazy.hpp): most clients never subscribe nor MULTI.
  core::Lazy<Subscriptions> subs;
  core::Lazy<Transaction> txn;
  // The blocking command in flight, on its own connection, and its reply slot.
  std::shared_ptr<backend::PipelineConn> blocking_conn;
  // The shard of its latest keyed command: where its PING is asked while a script runs there.
  uint32_t home_shard = 0;
  // Scratch for the command being dispatched: its keys' argument indexes and their shards.
  std::vector<size_t> keys, shards;
};

}  // namespace preshard::proxy
