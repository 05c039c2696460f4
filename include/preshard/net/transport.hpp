#pragma once
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <memory>
#include <string>
#include <vector>

#include "preshard/net/asio.hpp"

namespace preshard::net {

// A connected byte stream: plain TCP, or TLS over it. A client connection (accepted on
// tls_port: the server side) and an instance connection (tls_backends: the client side) only
// read, write and close through here, whichever it is.
class Transport {
 public:
  using TlsStream = asio::ssl::stream<tcp::socket&>;
  // `tls`: the TLS context of the port it was accepted on (null: plain).
  explicit Transport(tcp::socket socket, std::shared_ptr<asio::ssl::context> tls = nullptr);

  bool is_tls() const { return tls_ != nullptr; }
  // The common name of the client's verified certificate ("" without one).
  std::string peer_common_name();
  // Makes this the client side of the handshake, towards a server whose certificate must chain
  // to the context's CAs and, with `check_name`, name `name` (a DNS name, also sent as SNI, or
  // an IP address). False, with `why`, if OpenSSL refuses the name.
  bool expect_server(const std::string& name, bool check_name, std::string& why);
  // Why the peer's certificate was refused ("" if it was not): OpenSSL's verify result.
  std::string verify_failure();
  // The TLS handshake (only for is_tls()), on the side the transport plays.
  template <typename Handler>
  void async_handshake(Handler&& handler) {
    tls_->async_handshake(side_, std::forward<Handler>(handler));
  }
  template <typename Handler>
  void async_read_some(asio::mutable_buffer buffer, Handler&& handler) {
    if (tls_) return tls_->async_read_some(buffer, std::forward<Handler>(handler));
    socket_.async_read_some(buffer, std::forward<Handler>(handler));
  }
  template <typename Handler>
  void async_write(asio::const_buffer buffer, Handler&& handler) {
    if (tls_) return asio::async_write(*tls_, buffer, std::forward<Handler>(handler));
    asio::async_write(socket_, buffer, std::forward<Handler>(handler));
  }
  // Writes every buffer of `pieces`, in order (a large argument between a command's bytes).
  template <typename Handler>
  void async_write_gathered(std::vector<asio::const_buffer> pieces, Handler&& handler) {
    if (tls_) return asio::async_write(*tls_, std::move(pieces), std::forward<Handler>(handler));
    asio::async_write(socket_, std::move(pieces), std::forward<Handler>(handler));
  }
  // Ends reading (a pending read completes with EOF); writes go on.
  void shutdown_receive();
  // Closing resets the connection instead of sending what is still queued.
  void reset_on_close();
  void close();

  const std::string& peer() const { return peer_; }    // "ip:port", "" if unknown
  const std::string& local() const { return local_; }  // the address it was accepted on
  int fd() { return socket_.is_open() ? socket_.native_handle() : -1; }

 private:
  tcp::socket socket_;
  std::shared_ptr<asio::ssl::context> tls_ctx_;  // kept alive while the stream uses it
  std::unique_ptr<TlsStream> tls_;
  asio::ssl::stream_base::handshake_type side_ = asio::ssl::stream_base::server;
  std::string peer_, local_;
};

}  // namespace preshard::net
