#pragma once
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "preshard/config/endpoint.hpp"
#include "preshard/net/asio.hpp"
#include "preshard/net/name_cache.hpp"
#include "preshard/resp/reply_framer.hpp"
#include "preshard/resp/request.hpp"

namespace preshard::sentinel {

namespace asio = boost::asio;
using net::Clock;
using net::error_code;
using net::tcp;

// One connection to a Sentinel, on the control thread: connect (the host name through the
// shared NameCache), AUTH when the Sentinels have a password, then commands answered in order.
// Replies beyond those (a subscription's messages) go to `message`. A command unanswered for
// `timeout`, or any failure, closes the link: what is pending is answered with an empty reply
// and `down` is told once. A closed link stays closed; the owner makes a new one.
class SentinelLink : public std::enable_shared_from_this<SentinelLink> {
 public:
  using OnReply = std::function<void(std::string_view raw)>;  // raw is empty on failure
  struct Handlers {
    std::function<void(std::string_view raw)> message;
    std::function<void(const std::string& why)> down;
  };

  SentinelLink(asio::io_context& io, std::shared_ptr<net::NameCache> names,
               config::Endpoint address, std::string password, std::chrono::milliseconds timeout,
               Handlers handlers);
  const config::Endpoint& address() const { return address_; }
  // Queues a command (connecting first if needed).
  void send(const resp::Request& req, OnReply on_reply);
  bool closed() const { return closed_; }
  bool ready() const { return ready_; }
  void close(const std::string& why);

 private:
  void connect();
  void on_connected();
  void flush();
  void read_more();
  void arm();

  asio::io_context& io_;
  std::shared_ptr<net::NameCache> names_;
  config::Endpoint address_;
  std::string password_;
  std::chrono::milliseconds timeout_;
  Handlers handlers_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  bool started_ = false, ready_ = false, closed_ = false, writing_ = false;
  std::string out_, sending_;
  resp::ReplyFramer framer_;
  struct Pending {
    OnReply on_reply;
    Clock::time_point sent;
  };
  std::deque<Pending> pending_;
  Clock::time_point connect_started_;
};

}  // namespace preshard::sentinel
