#include "preshard/net/transport.hpp"

namespace preshard::net {

Transport::Transport(tcp::socket socket, std::shared_ptr<asio::ssl::context> tls)
    : socket_(std::move(socket)), tls_ctx_(std::move(tls)) {
  if (tls_ctx_) tls_ = std::make_unique<TlsStream>(socket_, *tls_ctx_);
  error_code ec;
  auto ep = socket_.remote_endpoint(ec);
  if (!ec) peer_ = ep.address().to_string() + ":" + std::to_string(ep.port());
  auto here = socket_.local_endpoint(ec);
  if (!ec) local_ = here.address().to_string() + ":" + std::to_string(here.port());
  socket_.set_option(tcp::no_delay(true), ec);
}

void Transport::shutdown_receive() {
  error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_receive, ignored);
}

void Transport::reset_on_close() {
  error_code ignored;
  socket_.set_option(asio::socket_base::linger(true, 0), ignored);
}

void Transport::close() {
  error_code ignored;
  socket_.close(ignored);
}

}  // namespace preshard::net
