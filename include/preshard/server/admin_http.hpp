#pragma once
#include <functional>
#include <memory>
#include <string>

#include "preshard/net/asio.hpp"

namespace preshard::server {

// A minimal HTTP/1.1 server (Boost.Beast) for the admin endpoint, on the control thread: GET
// only, bounded requests (8 KB of header, no body), at most kMaxSessions connections, each idle
// one closed after 30 s. What each path answers is the handler's.
class AdminHttp {
 public:
  struct Response {
    unsigned status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::string www_authenticate;  // set with 401
  };
  // `path` without the query; `authorization`: the Authorization header, "" if none.
  using Handler =
      std::function<Response(const std::string& path, const std::string& authorization)>;

  static constexpr size_t kMaxSessions = 64;

  AdminHttp(net::asio::io_context& io, const net::tcp::endpoint& at, Handler handler);
  ~AdminHttp();
  uint16_t port() const;
  void start();
  void close();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace preshard::server
