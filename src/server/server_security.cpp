// The security pieces the server publishes to the workers: the users snapshot the dispatcher
// checks commands against, the TLS port (its listeners and its context) and the TLS context
// towards instances.
#include <spdlog/spdlog.h>

#include "preshard/client/client_conn.hpp"
#include "preshard/config/user_sources.hpp"
#include "preshard/server/server.hpp"

namespace preshard::server {

std::shared_ptr<const acl::Users> Server::build_users() {
  acl::Users::Built built = acl::Users::build(config::user_sources(config_));
  if (built.users) return built.users;
  for (const auto& e : built.errors) spdlog::error("users: {}", e.message);
  // Fail closed: the users in force stay; with none yet, nobody gets in (default user off).
  spdlog::error("users: keeping the users in force (the aclfile changed since it was checked?)");
  return users_ ? users_ : acl::Users::closed();
}

std::shared_ptr<asio::ssl::context> Server::build_tls() {
  std::string why;
  auto tls = net::make_server_tls(config_, why);
  if (why.empty()) return tls;
  spdlog::error("tls: {}; keeping the certificates in force", why);
  return tls_;
}

std::shared_ptr<asio::ssl::context> Server::build_backend_tls() {
  std::string why;
  auto tls = net::make_backend_tls(config_, config_.any_backend_tls(), why);
  if (why.empty()) return tls;
  spdlog::error("tls_backends: {}; keeping the certificates in force", why);
  return backend_tls_;
}

std::vector<std::string> Server::tls_problems(config::Config next) const {
  std::vector<std::string> problems;
  std::string why;
  net::make_backend_tls(next, next.any_backend_tls(), why);
  if (!why.empty()) problems.push_back("tls_backends: " + why);
  if (config_.tls_port == 0) return problems;
  next.tls_port = config_.tls_port;  // a restart setting: the running port is the one served
  net::make_server_tls(next, why);
  if (!why.empty()) problems.push_back(why);
  return problems;
}

void Server::start_tls_listeners() {
  if (!tls_) return;
  config::Endpoint at{config_.listen.host, static_cast<uint16_t>(config_.tls_port)};
  for (size_t i = 0; i < workers_.size(); ++i) {
    proxy::Context* ctx = contexts_[i].get();
    // The context is read at accept: a reload's certificates serve the next handshake.
    tls_listeners_.push_back(
        std::make_unique<net::Listener>(*workers_[i], at, [ctx](tcp::socket s) {
          std::make_shared<client::ClientConn>(*ctx, std::move(s), ctx->tls())->start();
        }));
  }
  spdlog::info("TLS on {} (client certificates: {})", at.to_string(), config_.tls_auth_clients);
}

}  // namespace preshard::server
