#include "preshard/net/listener.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/detail/socket_option.hpp>

#include "preshard/core/errors.hpp"
#include "preshard/net/worker.hpp"
#include "preshard/resp/encode.hpp"

namespace preshard::net {

namespace {
using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
const std::string kMaxClientsReply = [] {
  std::string r;
  resp::append_error(r, core::errors::kMaxClients.text);
  return r;
}();
}  // namespace

Listener::Listener(Worker& worker, const config::Endpoint& address, OnClient on_client)
    : worker_(worker), acceptor_(worker.io()), on_client_(std::move(on_client)) {
  tcp::endpoint ep(asio::ip::make_address(address.host), address.port);
  acceptor_.open(ep.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.set_option(reuse_port(true));
  acceptor_.bind(ep);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

void Listener::start() {
  accept_next();
}

void Listener::close() {
  error_code ignored;
  acceptor_.close(ignored);
}

void Listener::accept_next() {
  acceptor_.async_accept([this](const error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // Out of file descriptors and the like: log, and keep accepting.
      spdlog::warn("accept: {}", ec.message());
      accept_next();
      return;
    }
    ServerState& state = worker_.state();
    if (state.clients.fetch_add(1, std::memory_order_relaxed) >= worker_.settings().max_clients) {
      state.clients.fetch_sub(1, std::memory_order_relaxed);
      stats::ThreadStats::add(worker_.stats().rejected_connections);
      auto s = std::make_shared<tcp::socket>(std::move(socket));
      asio::async_write(*s, asio::buffer(kMaxClientsReply), [s](const error_code&, size_t) {
        error_code ignored;
        s->close(ignored);
      });
    } else {
      on_client_(std::move(socket));
    }
    accept_next();
  });
}

}  // namespace preshard::net
