// The admin side of the server: the shard monitor's own worker (INFO of every instance) and
// the admin HTTP endpoint (/metrics, /status, /sd).
#include <spdlog/spdlog.h>

#include "preshard/proxy/context.hpp"
#include "preshard/server/admin_report.hpp"
#include "preshard/server/server.hpp"

namespace preshard::server {

bool Server::start_admin() {
  auto settings = std::make_shared<const Settings>(Settings::from(config_));
  monitor_worker_ = std::make_unique<net::Worker>(0, state_, settings, &monitor_stats_);
  monitor_ctx_ = std::make_unique<proxy::Context>(*monitor_worker_, table_);
  monitor_ctx_->set_tls(nullptr, backend_tls_);
  monitor_ = std::make_shared<proxy::ShardMonitor>(*monitor_ctx_);
  for (auto& c : contexts_) c->set_monitor(monitor_);  // before the workers start
  asio::post(monitor_ctx_->io(), [m = monitor_] { m->start(); });
  monitor_worker_->start();
  if (config_.admin_listen.empty()) return true;
  std::string why;
  auto ep = config::parse_endpoint(config_.admin_listen, why);
  try {
    if (!ep) throw std::runtime_error(why);
    tcp::resolver resolver(control_);
    auto at = *resolver.resolve(ep->host, std::to_string(ep->port)).begin();
    admin_http_ = std::make_unique<AdminHttp>(
        control_, at.endpoint(), [this](const std::string& path, const std::string& auth) {
          return admin_request(path, auth);
        });
  } catch (const std::exception& e) {
    spdlog::critical("cannot listen on admin_listen {}: {}", config_.admin_listen, e.what());
    asio::post(monitor_ctx_->io(), [this] {
      monitor_->stop();
      monitor_ctx_->drain();
    });
    monitor_worker_->join();
    return false;
  }
  admin_http_->start();
  spdlog::info("admin endpoint on http://{}/ (/metrics, /status, /sd)", config_.admin_listen);
  return true;
}

AdminHttp::Response Server::admin_request(const std::string& path, const std::string& auth) {
  auto report = [this] { return build_report(state_, *table_, monitor_->samples()); };
  return admin_route(path, auth, config_.admin_password, report);
}

}  // namespace preshard::server
