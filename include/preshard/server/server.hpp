#pragma once
#include <boost/asio/signal_set.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include "preshard/acl/users.hpp"

#include "preshard/config/config.hpp"
#include "preshard/net/asio.hpp"
#include "preshard/net/listener.hpp"
#include "preshard/proxy/context.hpp"
#include "preshard/proxy/shard_monitor.hpp"
#include "preshard/router/routing_table.hpp"
#include "preshard/sentinel/sentinel_watch.hpp"
#include "preshard/server/admin_http.hpp"

namespace preshard::server {

namespace asio = boost::asio;
using net::Clock;
using net::error_code;
using net::Settings;
using net::tcp;

// The process: workers, their listeners, and a control loop on the main thread for signals,
// sampling and reloads. SIGTERM/SIGINT stop accepting, let commands in flight finish, and
// return; SIGHUP reloads the config file.
class Server : public net::AdminOps {
 public:
  // `log_level_override`: the command line's --log-level, which a reload does not change;
  // `listen_override`: the listen address came from the command line.
  Server(config::Config config, std::string log_level_override = "", bool listen_override = false);
  ~Server() override;
  // Binds, runs until a stop signal, and returns the exit code.
  int run();

  void reload(std::function<void(std::string error)> done) override;
  void pause(std::vector<size_t> shards, unsigned timeout_ms, std::function<void()> done) override;
  void resume(std::vector<size_t> shards, std::function<void()> done) override;

 private:
  // On the control thread.
  void reload_now(const std::function<void(std::string)>& done);
  // Runs `op` on every worker's thread; `done` on the control thread once each has called the
  // completion `op` is given.
  void on_every_worker(std::function<void(proxy::Context&, std::function<void()>)> op,
                       std::function<void()> done);
  void wait_signals();
  void sample_rate();
  void stop();
  // The monitor's worker and the admin endpoint (admin_listen); false if it cannot listen.
  bool start_admin();
  AdminHttp::Response admin_request(const std::string& path, const std::string& authorization);

  // Failover (server_failover.cpp; README "Failover").
  // Asks the Sentinels for every master before serving, bounded by the timeouts.
  void learn_masters_at_start();
  // The file's map with the masters Sentinel named, where each is one of its shard's instances.
  config::Config routed_config() const;
  void on_sentinel_master(size_t shard, const config::Endpoint& master, const std::string& how);
  // Builds the table of routed_config() and gives it to every worker (a reload, a failover);
  // `done` on the control thread once all use it.
  void publish(std::function<void(uint64_t generation)> done);
  void record_masters();
  // The users of config_ (server_users.cpp); if the aclfile changed for the worse since the
  // configuration was checked, the users in force stay (logged).
  std::shared_ptr<const acl::Users> build_users();
  std::shared_ptr<const acl::Users> users_;
  // The TLS port (server_security.cpp): its context from config_ (the one in force if the
  // files are unusable now), and a listener per worker, bound at startup.
  std::shared_ptr<asio::ssl::context> build_tls();
  void start_tls_listeners();
  // Certificates of `next` that cannot be used (a reload is then refused).
  std::vector<std::string> tls_problems(config::Config next) const;
  std::shared_ptr<asio::ssl::context> tls_;
  std::vector<std::unique_ptr<net::Listener>> tls_listeners_;
  // The TLS context towards instances (tls_backends), likewise.
  std::shared_ptr<asio::ssl::context> build_backend_tls();
  std::shared_ptr<asio::ssl::context> backend_tls_;

  config::Config config_;
  std::string log_level_override_;
  bool listen_override_ = false;
  uint64_t generation_ = 1;  // the last one assigned (state_ has the one in effect everywhere)
  std::shared_ptr<const router::RoutingTable> table_;  // the newest, for target ids
  net::ServerState state_;
  asio::io_context control_{1};
  asio::signal_set* signals_ = nullptr;
  std::unique_ptr<asio::steady_timer> sampler_;
  uint64_t last_total_ = 0;
  // The shard monitor: a worker of its own, not counted with the others. Declared before the
  // workers' contexts, which hold the monitor too: they let go of it first, and its timer goes
  // before its loop.
  stats::ThreadStats monitor_stats_;
  std::unique_ptr<net::Worker> monitor_worker_;
  std::unique_ptr<proxy::Context> monitor_ctx_;
  std::shared_ptr<proxy::ShardMonitor> monitor_;
  std::vector<std::unique_ptr<net::Worker>> workers_;
  std::vector<std::unique_ptr<proxy::Context>> contexts_;  // one per worker, destroyed first
  std::vector<std::unique_ptr<net::Listener>> listeners_;
  std::unique_ptr<AdminHttp> admin_http_;
  bool stopping_ = false;
  std::vector<std::optional<config::Endpoint>> learned_;  // per shard: Sentinel's master
  std::vector<net::ServerState::ShardMaster> masters_;
  std::unique_ptr<sentinel::SentinelWatch> sentinel_;
  bool serving_ = false;
  bool publish_queued_ = false;
  std::vector<Clock::time_point> paused_at_;  // per shard: since when PROXY PAUSE holds it
};

}  // namespace preshard::server
