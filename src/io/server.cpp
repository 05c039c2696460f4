#include "preshard/io/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <thread>

#include "preshard/io/listener.hpp"
#include "preshard/io/worker.hpp"

namespace preshard::io {

Server::Server(config::Config config) : config_(std::move(config)) {}

Server::~Server() = default;

int Server::run() {
  unsigned threads = config_.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  state_.config_file = config_.source;
  state_.hash = config_.hash;
  state_.hash_tag = config_.hash_tag;
  state_.threads = threads;
  state_.listen_port = config_.listen.port;
  auto table = router::RoutingTable::build(config_, 1);
  auto settings = std::make_shared<const Settings>(Settings::from(config_));
  for (unsigned i = 0; i < threads; ++i) {
    state_.thread_stats.push_back(std::make_unique<stats::ThreadStats>());
  }
  try {
    for (unsigned i = 0; i < threads; ++i) {
      workers_.push_back(std::make_unique<Worker>(i, state_, table, settings));
      listeners_.push_back(std::make_unique<Listener>(*workers_.back(), config_.listen));
    }
  } catch (const boost::system::system_error& e) {
    spdlog::critical("cannot listen on {}: {}", config_.listen.to_string(), e.code().message());
    return 1;
  }
  for (size_t i = 0; i < workers_.size(); ++i) {
    listeners_[i]->start();
    workers_[i]->start();
  }
  spdlog::info("preshard {} listening on {} with {} thread(s), {} instances (config {})",
               PRESHARD_VERSION, config_.listen.to_string(), threads, table->shard_count(),
               config_.source);

  asio::signal_set signals(control_, SIGTERM, SIGINT, SIGHUP);
  signals_ = &signals;
  wait_signals();
  sampler_ = std::make_unique<asio::steady_timer>(control_);
  sample_rate();
  control_.run();
  for (auto& w : workers_) w->join();
  spdlog::info("preshard stopped");
  return 0;
}

void Server::wait_signals() {
  signals_->async_wait([this](const error_code& ec, int signo) {
    if (ec) return;
    if (signo == SIGHUP) {
      spdlog::warn("SIGHUP: configuration reload is not available in this version");
      wait_signals();
      return;
    }
    spdlog::info("signal {}: finishing commands in flight, then exiting", signo);
    stop();
  });
}

void Server::sample_rate() {
  sampler_->expires_after(std::chrono::seconds(1));
  sampler_->async_wait([this](const error_code& ec) {
    if (ec) return;
    uint64_t total = stats::sum(state_.thread_stats).total_commands_processed;
    state_.ops_per_sec.store(total - last_total_);
    last_total_ = total;
    sample_rate();
  });
}

void Server::stop() {
  if (stopping_) return;
  stopping_ = true;
  for (size_t i = 0; i < workers_.size(); ++i) {
    Listener* l = listeners_[i].get();
    asio::post(workers_[i]->io(), [l] { l->close(); });
    workers_[i]->drain();
  }
  signals_->cancel();
  sampler_->cancel();
}

}  // namespace preshard::io
