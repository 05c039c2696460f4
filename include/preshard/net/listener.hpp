#pragma once
#include <functional>

#include "preshard/config/endpoint.hpp"
#include "preshard/net/asio.hpp"

namespace preshard::net {

class Worker;

// Accepts clients for one worker. Every worker binds the same address with SO_REUSEPORT, so
// the kernel spreads connections over the workers. Past max_clients a client is told so and
// closed; the others go to `on_client`.
class Listener {
 public:
  using OnClient = std::function<void(tcp::socket)>;
  // Binds at once (so that a busy port fails startup); throws boost::system::system_error.
  Listener(Worker& worker, const config::Endpoint& address, OnClient on_client);
  void start();
  void close();  // from the worker's thread

 private:
  void accept_next();

  Worker& worker_;
  tcp::acceptor acceptor_;
  OnClient on_client_;
};

}  // namespace preshard::net
