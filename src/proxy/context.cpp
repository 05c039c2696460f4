#include "preshard/proxy/context.hpp"

#include <spdlog/spdlog.h>

#include <mutex>

#include "preshard/proxy/client_port.hpp"
#include "preshard/proxy/pubsub_hub.hpp"

namespace preshard::proxy {

Context::Context(net::Worker& worker, std::shared_ptr<const router::RoutingTable> table,
                 std::shared_ptr<ScriptStore> scripts)
    : worker_(worker),
      backends_(std::make_unique<backend::BackendPool>(worker, std::move(table))),
      pubsub_(std::make_shared<PubSubHub>(*this)),
      scripts_(scripts ? std::move(scripts) : std::make_shared<ScriptStore>()),
      functions_(scripts_.store()->libraries) {
  worker_.on_tick([this](Clock::time_point now) {
    coarse_now_ = now;
    backends_->tick(now);
    maybe_finish_drain();
  });
}

Context::~Context() = default;

void Context::apply(std::shared_ptr<const router::RoutingTable> table,
                    std::shared_ptr<const net::Settings> settings,
                    std::shared_ptr<const acl::Users> users) {
  if (table) {  // null: only the users (at startup)
    auto before = backends_->table_ptr();
    worker_.apply(std::move(settings));
    backends_->retarget(std::move(table));
    pubsub_->retarget(*before);
  }
  if (users) {
    users_ = std::move(users);
    for (const auto& client : hold_clients()) client->rebind_user();
  }
}

void Context::on_every_worker(std::function<std::string(Context&)> work,
                              std::function<void(std::vector<std::string>)> done) {
  std::vector<Context*> all = peers_ ? *peers_ : std::vector<Context*>{this};
  struct Gather {
    std::mutex m;
    std::vector<std::string> results;
    size_t left;
    std::function<void(std::vector<std::string>)> done;
  };
  auto g = std::make_shared<Gather>();
  g->results.resize(all.size());
  g->left = all.size();
  g->done = std::move(done);
  auto work_ptr = std::make_shared<std::function<std::string(Context&)>>(std::move(work));
  for (size_t i = 0; i < all.size(); ++i) {
    Context* peer = all[i];
    asio::post(peer->io(), [g, work_ptr, peer, i, &home = io()] {
      std::string r = (*work_ptr)(*peer);
      std::lock_guard lock(g->m);
      g->results[i] = std::move(r);
      if (--g->left == 0) asio::post(home, [g] { g->done(std::move(g->results)); });
    });
  }
}

void Context::remove_client(ClientPort* s) {
  clients_.erase(s);
  if (draining_ && !walking_) maybe_finish_drain();
}

std::vector<std::shared_ptr<ClientPort>> Context::hold_clients() {
  std::vector<std::shared_ptr<ClientPort>> all;
  all.reserve(clients_.size());
  for (ClientPort* s : clients_) all.push_back(s->shared());
  return all;
}

void Context::drain() {
  if (draining_) return;
  draining_ = true;
  drain_deadline_ = Clock::now() + std::chrono::milliseconds(settings().shutdown_timeout_ms);
  // Held, and not re-entered from remove_client(): a session that ends inside the loop must
  // not be freed (or the drain finished) while the loop still walks the others.
  walking_ = true;
  for (auto& s : hold_clients()) s->drain();
  walking_ = false;
  maybe_finish_drain();
}

void Context::maybe_finish_drain() {
  if (!draining_ || walking_) return;
  bool expired = Clock::now() >= drain_deadline_;
  if (!clients_.empty() && !expired) return;
  if (!clients_.empty()) {
    spdlog::warn("worker {}: shutdown timeout, closing {} clients with commands in flight", index(),
                 clients_.size());
    walking_ = true;  // one pass, however many sessions: not once per session closed
    for (auto& s : hold_clients()) s->close();
    walking_ = false;
  }
  backends_->close_all();
  pubsub_->close_all();
  worker_.stop();
}

}  // namespace preshard::proxy
