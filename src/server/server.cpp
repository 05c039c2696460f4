#include "preshard/server/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <thread>

#include "preshard/backend/backend_pool.hpp"
#include "preshard/client/client_conn.hpp"
#include "preshard/command/command_table.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/proxy/context.hpp"
#include "preshard/server/admin_report.hpp"

namespace preshard::server {

Server::Server(config::Config config, std::string log_level_override, bool listen_override)
    : config_(std::move(config)),
      log_level_override_(std::move(log_level_override)),
      listen_override_(listen_override) {
  state_.admin = this;
}

Server::~Server() = default;

int Server::run() {
  unsigned threads = config_.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  state_.config_file = config_.source;
  state_.hash = config_.hash;
  state_.hash_tag = config_.hash_tag;
  state_.threads = threads;
  state_.listen_port = config_.listen.port;
  learn_masters_at_start();
  table_ = router::RoutingTable::build(routed_config());
  state_.count_scripts_of(table_->shard_count());  // N never changes
  record_masters();
  auto table = table_;
  auto settings = std::make_shared<const Settings>(Settings::from(config_));
  for (unsigned i = 0; i < threads; ++i) {
    state_.thread_stats.push_back(std::make_unique<stats::ThreadStats>(
        command::CommandTable::get().row_count(), table->shard_count()));
  }
  auto scripts = std::make_shared<proxy::ScriptStore>();  // shared: EVALSHA works on any worker
  try {
    for (unsigned i = 0; i < threads; ++i) {
      workers_.push_back(std::make_unique<net::Worker>(i, state_, settings));
      contexts_.push_back(std::make_unique<proxy::Context>(*workers_.back(), table, scripts));
    }
    users_ = build_users();
    for (auto& c : contexts_) c->apply(nullptr, nullptr, users_);
    tls_ = build_tls();
    backend_tls_ = build_backend_tls();
    for (auto& c : contexts_) c->set_tls(tls_, backend_tls_);
    start_tls_listeners();  // bound before the plain port: once that answers, both do
    for (unsigned i = 0; i < threads && config_.listen.port != 0; ++i) {
      proxy::Context* ctx = contexts_[i].get();
      listeners_.push_back(
          std::make_unique<net::Listener>(*workers_[i], config_.listen, [ctx](tcp::socket s) {
            std::make_shared<client::ClientConn>(*ctx, std::move(s))->start();
          }));
    }
    auto peers = std::make_shared<std::vector<proxy::Context*>>();
    for (auto& c : contexts_) peers->push_back(c.get());
    for (auto& c : contexts_) c->set_peers(peers);
  } catch (const boost::system::system_error& e) {
    spdlog::critical("cannot listen on {}: {}", config_.listen.to_string(), e.code().message());
    return 1;
  }
  if (!start_admin()) return 1;
  for (size_t i = 0; i < workers_.size(); ++i) {
    if (i < listeners_.size()) listeners_[i]->start();
    if (i < tls_listeners_.size()) tls_listeners_[i]->start();
    workers_[i]->start();
  }
  spdlog::info("preshard {} listening on {} with {} thread(s), {} instances (config {})",
               PRESHARD_VERSION, config_.listen.to_string(), threads, table->shard_count(),
               config_.source);

  serving_ = true;
  asio::signal_set signals(control_, SIGTERM, SIGINT, SIGHUP);
  signals_ = &signals;
  wait_signals();
  sampler_ = std::make_unique<asio::steady_timer>(control_);
  sample_rate();
  control_.run();
  for (auto& w : workers_) w->join();
  monitor_worker_->join();
  state_.names->close();  // a lookup still running must not post to a loop that is gone
  spdlog::info("preshard stopped");
  return 0;
}

void Server::wait_signals() {
  signals_->async_wait([this](const error_code& ec, int signo) {
    if (ec) return;
    if (signo == SIGHUP) {
      spdlog::info("SIGHUP: reloading {}", state_.config_file);
      reload_now([](const std::string&) {});
      wait_signals();
      return;
    }
    spdlog::info("signal {}: finishing commands in flight, then exiting", signo);
    stop();
  });
}

void Server::reload(std::function<void(std::string error)> done) {
  asio::post(control_, [this, done = std::move(done)] { reload_now(done); });
}

void Server::reload_now(const std::function<void(std::string)>& done) {
  if (stopping_) {
    done(core::errors::kShuttingDown.text);
    return;
  }
  auto started = Clock::now();
  config::LoadResult loaded = config::load_config_file(state_.config_file);
  std::vector<std::string> problems;
  for (const auto& e : loaded.errors) problems.push_back(e.to_string());
  config::ReloadCheck check;
  if (problems.empty()) {
    if (listen_override_) loaded.config->listen = config_.listen;
    check = config::check_reload(config_, *loaded.config);
    problems = check.errors;
    if (problems.empty()) problems = tls_problems(*loaded.config);
  }
  if (!problems.empty()) {
    for (const auto& p : problems) spdlog::error("reload refused: {}", p);
    std::string why = problems.front();
    if (problems.size() > 1) why += " (and " + std::to_string(problems.size() - 1) + " more)";
    state_.record_reload(false, why);
    state_.record_event("reload", "reload refused: " + why);
    done(core::errors::reload_refused(why).text);
    return;
  }
  for (const auto& w : check.warnings) spdlog::warn("reload: {}", w);
  config::Config next = std::move(*loaded.config);
  next.listen = config_.listen;  // these two need a restart
  next.threads = config_.threads;
  config_ = std::move(next);
  if (log_level_override_.empty()) spdlog::set_level(spdlog::level::from_str(config_.log_level));
  publish([this, done, started](uint64_t generation) {
    state_.record_reload(true, "");
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    state_.record_latency("reload", static_cast<uint64_t>(ms.count()));
    state_.record_event("reload", "reload: generation " + std::to_string(generation) +
                                      " in effect (" + std::to_string(ms.count()) + " ms)");
    spdlog::info("reload: generation {} in effect on every worker", generation);
    done("");
  });
}

void Server::publish(std::function<void(uint64_t generation)> done) {
  uint64_t generation = ++generation_;
  auto table = router::RoutingTable::build(routed_config(), table_.get());  // ids are kept
  table_ = table;
  record_masters();
  auto settings = std::make_shared<const Settings>(Settings::from(config_));
  auto users = users_ = build_users();
  auto tls = tls_ = build_tls();
  auto btls = backend_tls_ = build_backend_tls();
  on_every_worker(
      [table, settings, users, tls, btls](proxy::Context& w, std::function<void()> applied) {
        w.apply(table, settings, users);
        w.set_tls(tls, btls);
        applied();
      },
      [this, generation, done, table, settings, btls] {
        asio::post(monitor_ctx_->io(), [ctx = monitor_ctx_.get(), table, settings, btls] {
          ctx->apply(table, settings);
          ctx->set_tls(nullptr, btls);
        });
        if (generation > state_.config_generation) state_.config_generation = generation;
        done(generation);
      });
}

void Server::pause(std::vector<size_t> shards, unsigned timeout_ms, std::function<void()> done) {
  asio::post(control_, [this, shards = std::move(shards), timeout_ms, done = std::move(done)] {
    state_.set_paused(shards, Clock::now() + std::chrono::milliseconds(timeout_ms));
    for (size_t s : shards) {
      if (s >= paused_at_.size()) paused_at_.resize(s + 1);
      if (paused_at_[s] == Clock::time_point{}) paused_at_[s] = Clock::now();
      state_.record_event("pause", "shard " + std::to_string(s) + " paused (PROXY PAUSE, " +
                                       std::to_string(timeout_ms) + " ms at most)");
    }
    on_every_worker(
        [shards, timeout_ms](proxy::Context& w, std::function<void()> drained) {
          w.backends().pause(shards, Clock::now() + std::chrono::milliseconds(timeout_ms),
                             std::move(drained));
        },
        done);
  });
}

void Server::resume(std::vector<size_t> shards, std::function<void()> done) {
  asio::post(control_, [this, shards = std::move(shards), done = std::move(done)] {
    state_.set_paused(shards, Clock::time_point{});
    for (size_t s : shards) {
      if (s >= paused_at_.size() || paused_at_[s] == Clock::time_point{}) continue;
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - paused_at_[s]);
      paused_at_[s] = Clock::time_point{};
      state_.record_latency("pause", static_cast<uint64_t>(ms.count()));
      state_.record_event("pause", "shard " + std::to_string(s) + " resumed after " +
                                       std::to_string(ms.count()) + " ms");
    }
    on_every_worker(
        [shards](proxy::Context& w, std::function<void()> resumed) {
          w.backends().resume(shards);
          resumed();
        },
        done);
  });
}

void Server::on_every_worker(std::function<void(proxy::Context&, std::function<void()>)> op,
                             std::function<void()> done) {
  auto left = std::make_shared<size_t>(contexts_.size());
  for (auto& c : contexts_) {
    proxy::Context* worker = c.get();
    asio::post(worker->io(), [this, worker, op, left, done] {
      op(*worker, [this, left, done] {
        asio::post(control_, [left, done] {
          if (--*left == 0) done();
        });
      });
    });
  }
}

void Server::sample_rate() {
  sampler_->expires_after(std::chrono::seconds(1));
  sampler_->async_wait([this](const error_code& ec) {
    // stop()'s cancel() misses a tick already queued: re-arming then kept control_ running.
    if (ec || stopping_) return;
    uint64_t total = stats::sum(state_.thread_stats).total_commands_processed;
    state_.ops_per_sec.store(total >= last_total_ ? total - last_total_ : total);  // RESETSTAT
    if (sentinel_) state_.sentinels_up = static_cast<unsigned>(sentinel_->sentinels_up());
    last_total_ = total;
    sample_rate();
  });
}

void Server::stop() {
  if (stopping_) return;
  stopping_ = true;
  for (size_t i = 0; i < workers_.size(); ++i) {
    net::Listener* l = i < listeners_.size() ? listeners_[i].get() : nullptr;
    net::Listener* t = i < tls_listeners_.size() ? tls_listeners_[i].get() : nullptr;
    proxy::Context* ctx = contexts_[i].get();
    asio::post(workers_[i]->io(), [l, t, ctx] {
      if (l) l->close();
      if (t) t->close();
      ctx->drain();
    });
  }
  signals_->cancel();
  sampler_->cancel();
  if (sentinel_) sentinel_->stop();
  if (admin_http_) admin_http_->close();
  asio::post(monitor_ctx_->io(), [this] {
    monitor_->stop();
    monitor_ctx_->drain();  // no clients: closes its instance connections and ends its loop
  });
}

}  // namespace preshard::server
