// A TLS client's handshake: asynchronous (a stalled or failed one never blocks the worker) and
// bounded by tls_handshake_timeout_ms; a plain-text client on the TLS port fails it at once.
#include <spdlog/spdlog.h>

#include "preshard/client/client_conn.hpp"

namespace preshard::client {

void ClientConn::start_tls() {
  handshake_timer_ = std::make_unique<net::asio::steady_timer>(ctx_.io());
  handshake_timer_->expires_after(
      std::chrono::milliseconds(ctx_.settings().tls_handshake_timeout_ms));
  auto self = shared_from_this();
  handshake_timer_->async_wait([self](const net::error_code& ec) {
    if (ec || self->closed_) return;  // cancelled: the handshake ended first
    spdlog::info("client {} {}: TLS handshake not finished in tls_handshake_timeout_ms, closing",
                 self->id_, self->transport_.peer());
    self->transport_.reset_on_close();
    self->close();
  });
  transport_.async_handshake([self](const net::error_code& ec) {
    self->handshake_timer_->cancel();
    if (self->closed_) return;
    if (ec) {
      stats::ThreadStats::add(self->ctx_.stats().tls_handshake_failures);
      spdlog::info("client {} {}: TLS handshake failed: {}", self->id_, self->transport_.peer(),
                   ec.message());
      self->transport_.reset_on_close();
      self->close();
      return;
    }
    self->authenticate_by_certificate();
    self->read_more();
  });
}

void ClientConn::authenticate_by_certificate() {
  if (ctx_.settings().tls_auth_clients_user != "CN") return;
  std::string cn = transport_.peer_common_name();
  const acl::User* u = cn.empty() ? nullptr : ctx_.users().find(cn);
  // As Redis's tls-auth-clients-user: no such user (or off) leaves the client as it was.
  if (u == nullptr || !u->enabled) return;
  state_.set_user(*u, true);
  spdlog::debug("client {} {}: authenticated as {} by its certificate", id_, transport_.peer(), cn);
}

}  // namespace preshard::client
