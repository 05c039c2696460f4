// AdminHttp over a real loopback socket: routes, keep-alive, bounds, authentication.
#include <catch2/catch.hpp>

#include <thread>

#include "preshard/server/admin_http.hpp"
#include "preshard/server/admin_report.hpp"

using preshard::server::AdminHttp;
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
constexpr unsigned short kPort = 28160;  // test ports: 28000-31999

// Runs an AdminHttp on its own thread for the test's lifetime.
struct Running {
  explicit Running(AdminHttp::Handler h, unsigned short port)
      : http(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), std::move(h)) {
    http.start();
    thread = std::thread([this] { io.run(); });
  }
  ~Running() {
    asio::post(io, [this] { http.close(); });
    thread.join();
  }
  asio::io_context io;
  AdminHttp http;
  std::thread thread;
};

// Sends `raw` and reads until the server closes or `until` appears.
std::string http_exchange(unsigned short port, const std::string& raw,
                          const std::string& until = "") {
  asio::io_context io;
  tcp::socket s(io);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  asio::write(s, asio::buffer(raw));
  std::string got;
  char buf[4096];
  boost::system::error_code ec;
  while (!ec) {
    size_t n = s.read_some(asio::buffer(buf), ec);
    got.append(buf, n);
    if (!until.empty() && got.find(until) != std::string::npos) break;
  }
  return got;
}
}  // namespace

TEST_CASE("the admin endpoint answers GETs by path, keeps connections alive, refuses the rest") {
  Running r(
      [](const std::string& path, const std::string&) {
        AdminHttp::Response res;
        res.body = "path=" + path;
        return res;
      },
      kPort);
  std::string two = http_exchange(kPort,
                                  "GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\n\r\n"
                                  "GET /status HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  CHECK(two.find("HTTP/1.1 200 OK") == 0);
  CHECK(two.find("path=/metrics") != std::string::npos);
  CHECK(two.find("path=/status") != std::string::npos);  // the same connection, in order
  CHECK(two.find("path=/metrics") < two.find("path=/status"));
  std::string post =
      http_exchange(kPort, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", "only GET");
  CHECK(post.find("HTTP/1.1 405") == 0);
  // A header beyond 8 KB: the connection is closed, nothing is answered.
  std::string big =
      http_exchange(kPort, "GET / HTTP/1.1\r\nX: " + std::string(16 * 1024, 'a') + "\r\n\r\n");
  CHECK(big.empty());
}

TEST_CASE("with an admin password every route needs Basic authentication as admin") {
  auto report = [] { return preshard::metrics::Report{}; };
  Running r(
      [&](const std::string& path, const std::string& auth) {
        return preshard::server::admin_route(path, auth, "s3cret", report);
      },
      kPort + 1);
  std::string denied =
      http_exchange(kPort + 1, "GET /metrics HTTP/1.1\r\nConnection: close\r\n\r\n");
  CHECK(denied.find("HTTP/1.1 401") == 0);
  CHECK(denied.find("WWW-Authenticate: Basic realm=\"preshard\"") != std::string::npos);
  // admin:wrong, then admin:s3cret
  std::string wrong = http_exchange(kPort + 1,
                                    "GET /metrics HTTP/1.1\r\nAuthorization: Basic "
                                    "YWRtaW46d3Jvbmc=\r\nConnection: close\r\n\r\n");
  CHECK(wrong.find("HTTP/1.1 401") == 0);
  std::string ok = http_exchange(kPort + 1,
                                 "GET /metrics HTTP/1.1\r\nAuthorization: Basic "
                                 "YWRtaW46czNjcmV0\r\nConnection: close\r\n\r\n");
  CHECK(ok.find("HTTP/1.1 200") == 0);
  CHECK(ok.find("text/plain; version=0.0.4") != std::string::npos);
  CHECK(ok.find("preshard_config_generation 0") != std::string::npos);
  std::string missing = http_exchange(
      kPort + 1,
      "GET /nope HTTP/1.1\r\nAuthorization: Basic YWRtaW46czNjcmV0\r\nConnection: close\r\n\r\n");
  CHECK(missing.find("HTTP/1.1 404") == 0);
  std::string page = http_exchange(
      kPort + 1,
      "GET / HTTP/1.1\r\nAuthorization: Basic YWRtaW46czNjcmV0\r\nConnection: close\r\n\r\n");
  CHECK(page.find("<title>preshard</title>") != std::string::npos);
}
