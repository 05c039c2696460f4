#pragma once
#include <string>

#include "preshard/net/asio.hpp"

namespace preshard::net {

// A client's byte stream: plain TCP today; a TLS stream can take its place without the client
// connection changing (it only reads, writes and closes through here).
class Transport {
 public:
  explicit Transport(tcp::socket socket);

  template <typename Handler>
  void async_read_some(asio::mutable_buffer buffer, Handler&& handler) {
    socket_.async_read_some(buffer, std::forward<Handler>(handler));
  }
  template <typename Handler>
  void async_write(asio::const_buffer buffer, Handler&& handler) {
    asio::async_write(socket_, buffer, std::forward<Handler>(handler));
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
  std::string peer_, local_;
};

}  // namespace preshard::net
