#pragma once
#include <functional>
#include <memory>
#include <unordered_set>
#include <vector>

#include "preshard/acl/users.hpp"
#include "preshard/backend/backend_pool.hpp"
#include "preshard/core/slowlog.hpp"
#include "preshard/net/tls_context.hpp"
#include "preshard/net/worker.hpp"
#include "preshard/proxy/script_cache.hpp"
#include "preshard/router/routing_table.hpp"

namespace preshard::proxy {

// The lower layers' names, as this layer uses them.
namespace asio = boost::asio;
using backend::BackendPool;
using backend::PipelineConn;
using backend::ReplySink;
using net::AdminOps;
using net::Clock;
using net::error_code;
using net::Flushable;
using net::ServerState;
using net::Settings;
using net::tcp;

class PubSubHub;
class ClientPort;
class ShardMonitor;

// What the proxy keeps per worker thread: the routing table in force there, the instance
// connections, pub/sub, and its clients (for shutdown). Lives on that thread only.
class Context {
 public:
  // `scripts`: the script bodies every worker shares (null: one of its own).
  Context(net::Worker& worker, std::shared_ptr<const router::RoutingTable> table,
          std::shared_ptr<ScriptStore> scripts = nullptr);
  ~Context();

  net::Worker& worker() { return worker_; }
  asio::io_context& io() { return worker_.io(); }
  size_t index() const { return worker_.index(); }
  net::ServerState& state() { return worker_.state(); }
  stats::ThreadStats& stats() { return worker_.stats(); }
  const net::Settings& settings() const { return worker_.settings(); }
  const router::RoutingTable& table() const { return backends_->table(); }
  backend::BackendPool& backends() { return *backends_; }
  PubSubHub& pubsub() { return *pubsub_; }
  ScriptCache& scripts() { return scripts_; }
  FunctionCache& functions() { return functions_; }
  core::Slowlog& slowlog() { return slowlog_; }
  void defer_flush(const std::shared_ptr<net::Flushable>& f) { worker_.defer_flush(f); }
  void note_client_read(size_t n) { worker_.note_client_read(n); }

  // On this thread: a reload's table and settings, from the next command on; and its users
  // (null: unchanged), to which every client is rebound (one whose user is gone or off is
  // closed, as Redis's ACL LOAD does).
  void apply(std::shared_ptr<const router::RoutingTable> table,
             std::shared_ptr<const net::Settings> settings,
             std::shared_ptr<const acl::Users> users = nullptr);
  const acl::Users& users() const { return *users_; }
  // The TLS port's context in force (null: none); a reload swaps it, new handshakes use it.
  // The TLS contexts: of the TLS port's handshakes, and of the instance connections' (null:
  // none).
  void set_tls(std::shared_ptr<asio::ssl::context> clients,
               std::shared_ptr<asio::ssl::context> instances) {
    tls_ = std::move(clients);
    worker_.set_backend_tls(std::move(instances));
  }
  const std::shared_ptr<asio::ssl::context>& tls() const { return tls_; }

  // The shard monitor (set once at startup; null without one): INFO's sums over the instances.
  void set_monitor(std::shared_ptr<const ShardMonitor> m) { monitor_ = std::move(m); }
  const ShardMonitor* monitor() const { return monitor_.get(); }

  // Every worker's context (set once at startup), for commands about all the proxy's clients.
  void set_peers(std::shared_ptr<const std::vector<Context*>> peers) { peers_ = std::move(peers); }
  // Runs `work` on every worker's thread (this one's included) and then `done` on this one with
  // the results, in worker order. Handlers of a worker that has stopped never run.
  void on_every_worker(std::function<std::string(Context&)> work,
                       std::function<void(std::vector<std::string>)> done);
  // The worker's clients now (held, so that closing one while walking is safe).
  std::vector<std::shared_ptr<ClientPort>> clients() { return hold_clients(); }
  // The worker's clock as of its latest tick (CLIENT LIST's idle=: no clock read per command).
  Clock::time_point coarse_now() const { return coarse_now_; }

  void add_client(ClientPort* s) { clients_.insert(s); }
  void remove_client(ClientPort* s);
  // On this thread: stop accepting work, let clients finish (at most shutdown_timeout_ms),
  // then close everything and end the worker's loop.
  void drain();

 private:
  void maybe_finish_drain();
  std::vector<std::shared_ptr<ClientPort>> hold_clients();

  net::Worker& worker_;
  std::unique_ptr<backend::BackendPool> backends_;
  std::shared_ptr<PubSubHub> pubsub_;
  ScriptCache scripts_;
  FunctionCache functions_;  // after scripts_: made from its store
  std::shared_ptr<const acl::Users> users_ = acl::Users::open();
  std::shared_ptr<asio::ssl::context> tls_;
  core::Slowlog slowlog_;  // this worker's slow commands (SLOWLOG gathers every worker's)
  std::shared_ptr<const std::vector<Context*>> peers_;
  std::shared_ptr<const ShardMonitor> monitor_;
  Clock::time_point coarse_now_ = Clock::now();
  std::unordered_set<ClientPort*> clients_;
  bool draining_ = false;
  bool walking_ = false;  // inside a loop over the sessions
  Clock::time_point drain_deadline_{};
};

}  // namespace preshard::proxy
