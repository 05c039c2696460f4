#pragma once
#include <memory>

#include "preshard/config/endpoint.hpp"
#include "preshard/io/asio.hpp"

namespace preshard::io {

class Worker;

// Accepts clients for one worker. Every worker binds the same address with SO_REUSEPORT, so
// the kernel spreads connections over the workers.
class Listener {
 public:
  // Binds at once (so that a busy port fails startup); throws boost::system::system_error.
  Listener(Worker& worker, const config::Endpoint& address);
  void start();
  void close();  // from the worker's thread

 private:
  void accept_next();

  Worker& worker_;
  tcp::acceptor acceptor_;
};

}  // namespace preshard::io
