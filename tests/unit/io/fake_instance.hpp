#pragma once
// An in-process fake Redis instance for the I/O tests: a listening socket on 127.0.0.1 served
// by a thread; each accepted connection is handed to the test's script, which reads and writes
// whatever the case needs (a partial reply, nothing at all, two replies per command ...).
#include <sys/socket.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace preshard::test {

class FakeInstance {
 public:
  using tcp = boost::asio::ip::tcp;
  // Called once per accepted connection (0, 1, 2 ...), on the fake's thread.
  using Script = std::function<void(tcp::socket&, int connection)>;

  FakeInstance(unsigned short port, Script script)
      : acceptor_(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port)),
        script_(std::move(script)) {
    thread_ = std::thread([this] {
      for (int n = 0; n < max_connections_; ++n) {
        boost::system::error_code ec;
        tcp::socket s(io_);
        acceptor_.accept(s, ec);
        if (ec) return;
        script_(s, n);
        sockets_.push_back(std::move(s));  // kept open until the fake is destroyed
      }
    });
  }
  ~FakeInstance() {
    // close() alone does not wake a blocking accept(); shutdown() does, on Linux.
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (auto& s : sockets_) s.close(ignored);
  }

  // Reads one command of `n` arguments (RESP array of bulks) and returns its arguments.
  static std::vector<std::string> read_command(tcp::socket& s, boost::asio::streambuf& buf) {
    std::vector<std::string> args;
    std::string line = read_line(s, buf);
    int n = std::stoi(line.substr(1));
    for (int i = 0; i < n; ++i) {
      size_t len = std::stoul(read_line(s, buf).substr(1));
      if (buf.size() < len + 2)
        boost::asio::read(s, buf, boost::asio::transfer_exactly(len + 2 - buf.size()));
      std::string arg(static_cast<const char*>(buf.data().data()), len);
      buf.consume(len + 2);
      args.push_back(arg);
    }
    return args;
  }
  static void send(tcp::socket& s, const std::string& bytes) {
    boost::asio::write(s, boost::asio::buffer(bytes));
  }

 private:
  static std::string read_line(tcp::socket& s, boost::asio::streambuf& buf) {
    size_t n = boost::asio::read_until(s, buf, "\r\n");
    std::string line(static_cast<const char*>(buf.data().data()), n - 2);
    buf.consume(n);
    return line;
  }

  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  Script script_;
  int max_connections_ = 8;
  std::vector<tcp::socket> sockets_;
  std::thread thread_;
};

}  // namespace preshard::test
