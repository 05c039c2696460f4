#pragma once
#include <boost/asio/signal_set.hpp>
#include <memory>
#include <vector>

#include "preshard/config/config.hpp"
#include "preshard/io/asio.hpp"
#include "preshard/io/server_state.hpp"

namespace preshard::io {

class Worker;
class Listener;

// The process: workers, their listeners, and a control loop on the main thread for signals
// and sampling. SIGTERM/SIGINT stop accepting, let commands in flight finish, and return.
class Server {
 public:
  explicit Server(config::Config config);
  ~Server();
  // Binds, runs until a stop signal, and returns the exit code.
  int run();

 private:
  void wait_signals();
  void sample_rate();
  void stop();

  config::Config config_;
  ServerState state_;
  asio::io_context control_{1};
  asio::signal_set* signals_ = nullptr;
  std::unique_ptr<asio::steady_timer> sampler_;
  uint64_t last_total_ = 0;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  bool stopping_ = false;
};

}  // namespace preshard::io
