#include "preshard/backend/backend_pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "preshard/backend/handshake_checks.hpp"
#include "preshard/net/worker.hpp"

namespace preshard::backend {

std::shared_ptr<TargetHealth> BackendPool::health(router::TargetId target) {
  auto& h = health_[target];
  if (!h)
    h = std::make_shared<TargetHealth>(
        worker_.state().connect_news(table_->target(target).address.to_string()));
  return h;
}

std::shared_ptr<PipelineConn> BackendPool::make_conn(size_t shard, const ConnMode& mode) {
  return make_conn_to(shard, table_->primary(shard), mode, false);
}

std::vector<HandshakeStep> BackendPool::auth_steps(router::TargetId target) const {
  const router::Target& t = table_->target(target);
  if (!t.needs_auth()) return {};
  // AUTH user pass, or AUTH pass for the instance's default user (Redis's requirepass).
  resp::Request auth{"AUTH"};
  if (!t.user.empty()) auth.add(t.user);
  auth.add(t.password);
  return {{std::move(auth), check_auth}};
}

std::string BackendPool::tls_name(router::TargetId target) const {
  const router::Target& t = table_->target(target);
  return t.tls ? t.tls_name : "";
}

std::shared_ptr<PipelineConn> BackendPool::make_conn_to(size_t shard, router::TargetId target,
                                                        const ConnMode& mode, bool replica) {
  auto c = std::make_shared<PipelineConn>(worker_, shard, target, table_->address(target),
                                          health(target));
  c->set_mode(mode);
  std::vector<HandshakeStep> steps = auth_steps(target);
  if (mode.protocol == resp::Protocol::kResp3) {
    steps.push_back({resp::Request{"HELLO", "3"}, check_hello3});
  }
  if (mode.db != 0) {
    steps.push_back({resp::Request{"SELECT", std::to_string(mode.db)}, check_select});
  }
  // Role fencing: a write must never reach a replica (a stale map, a late failover event, an
  // old master back from the dead). Once per connection.
  if (worker_.settings().role_check == "yes") {
    steps.push_back({resp::Request{"ROLE"}, replica ? check_replica : check_master, false});
  }
  c->set_handshake(std::move(steps));
  c->set_tls(tls_name(target));
  // A pause holds writes; reads from replicas go on.
  if (paused(shard) && !replica) c->hold(PipelineConn::kPaused);
  return c;
}

PipelineConn* BackendPool::replica_conn(size_t shard, const ConnMode& mode, bool fallback) {
  const auto& replicas = table_->replicas(shard);
  if (replicas.empty()) return nullptr;
  Lane& l = lane(mode);
  size_t start = next_replica_++;
  PipelineConn* down = nullptr;
  for (size_t i = 0; i < replicas.size(); ++i) {
    router::TargetId target = replicas[(start + i) % replicas.size()];
    auto& c = l.replicas[target];
    if (!c) c = make_conn_to(shard, target, mode, true);
    const TargetHealth& h = *health(target);
    if (!h.down() || !h.refusing(Clock::now())) return c.get();
    if (!down) down = c.get();
  }
  return fallback ? nullptr : down;  // down: its own error says why
}

std::shared_ptr<SubscriberConn> BackendPool::make_subscriber(size_t shard,
                                                             std::weak_ptr<ReplySink> sink) {
  router::TargetId target = table_->primary(shard);
  auto c = std::make_shared<SubscriberConn>(worker_, shard, target, table_->address(target),
                                            health(target), std::move(sink));
  c->set_handshake(auth_steps(target));
  c->set_tls(tls_name(target));
  std::erase_if(subscribers_, [](const auto& w) { return w.expired(); });
  subscribers_.push_back(c);
  return c;
}

PipelineConn& BackendPool::conn(size_t shard, ConnMode mode) {
  auto& conns = lane(mode).conns;
  if (conns.size() <= shard) conns.resize(table_->shard_count());
  auto& c = conns[shard];
  if (!c) c = make_conn(shard, mode);
  return *c;
}

BackendPool::Dedicated& BackendPool::dedicated(Lane& l, size_t shard) {
  if (l.dedicated.size() <= shard) l.dedicated.resize(table_->shard_count());
  return l.dedicated[shard];
}

BackendPool::Dedicated& BackendPool::dedicated_of(const PipelineConn& conn) {
  return dedicated(lane(conn.mode()), conn.shard());
}

std::shared_ptr<PipelineConn> BackendPool::acquire_dedicated(size_t shard, ConnMode mode) {
  Dedicated& d = dedicated(lane(mode), shard);
  std::shared_ptr<PipelineConn> c;
  if (!d.idle.empty()) {
    c = std::move(d.idle.back());
    d.idle.pop_back();
  } else if (d.busy.size() < worker_.settings().blocking_connections_per_shard) {
    c = make_conn(shard, mode);
  } else {
    return nullptr;
  }
  d.busy.push_back(c);
  return c;
}

void BackendPool::forget_busy(const std::shared_ptr<PipelineConn>& conn) {
  std::erase(dedicated_of(*conn).busy, conn);
}

void BackendPool::release_dedicated(std::shared_ptr<PipelineConn> conn) {
  forget_busy(conn);
  // A connection to a target the table no longer names is not reused.
  if (conn->reusable() && !conn->held() && conn->target() == table_->primary(conn->shard())) {
    dedicated_of(*conn).idle.push_back(std::move(conn));
  } else {
    conn->close();
  }
}

void BackendPool::discard_dedicated(std::shared_ptr<PipelineConn> conn) {
  forget_busy(conn);
  conn->close();
}

void BackendPool::retarget(std::shared_ptr<const router::RoutingTable> next) {
  auto previous = std::move(table_);
  table_ = std::move(next);
  const router::RoutingTable& before = *previous;
  const router::RoutingTable& now = *table_;
  for (size_t shard = 0; shard < now.shard_count(); ++shard) {
    if (before.primary(shard) == now.primary(shard)) continue;
    spdlog::info("worker {}: shard {} moves from {} to {}", worker_.index(), shard,
                 before.address(before.primary(shard)).to_string(),
                 now.address(now.primary(shard)).to_string());
    each_lane([&](Lane& l) {
      if (shard < l.conns.size() && l.conns[shard]) {
        auto successor = make_conn(shard, l.conns[shard]->mode());
        successor->hold(PipelineConn::kAwaitPredecessor);
        auto old = std::move(l.conns[shard]);
        l.conns[shard] = successor;
        retiring_.push_back(old);
        old->retire(successor);
      }
      if (shard < l.dedicated.size()) {
        // Idle ones go; busy ones (a blocked command, a WATCH) finish where they are and are
        // not reused (release_dedicated checks the address).
        for (auto& c : l.dedicated[shard].idle) c->close();
        l.dedicated[shard].idle.clear();
      }
    });
  }
}

void BackendPool::pause(const std::vector<size_t>& shards, Clock::time_point until,
                        std::function<void()> drained) {
  if (paused_until_.size() < table_->shard_count()) paused_until_.resize(table_->shard_count());
  // Counts the connections still to drain; the last one calls `drained`.
  auto left = std::make_shared<size_t>(1);
  auto done = [left, drained = std::move(drained)] {
    if (--*left == 0) drained();
  };
  auto wait_for = [&](PipelineConn& c) {
    ++*left;
    c.when_drained(done);
  };
  for (size_t shard : shards) {
    paused_until_[shard] = until;  // connections made from now on start held (make_conn)
    each_lane([&](Lane& l) {
      if (shard < l.conns.size() && l.conns[shard]) {
        l.conns[shard]->hold(PipelineConn::kPaused);
        wait_for(*l.conns[shard]);
      }
      Dedicated& d = dedicated(l, shard);
      for (auto& c2 : d.idle) c2->hold(PipelineConn::kPaused);
      for (auto& c2 : d.busy) c2->hold(PipelineConn::kPaused);
      // A blocked command may wait forever: only WATCH connections (timed) are waited for.
      for (auto& c2 : d.busy) {
        if (c2->timed()) wait_for(*c2);
      }
    });
    for (auto& r : retiring_) {
      if (r->shard() == shard) wait_for(*r);
    }
  }
  done();
}

void BackendPool::resume(const std::vector<size_t>& shards) {
  for (size_t shard : shards) {
    if (!paused(shard)) continue;
    paused_until_[shard] = Clock::time_point{};
    each_lane([&](Lane& l) {
      if (shard < l.conns.size() && l.conns[shard]) l.conns[shard]->release(PipelineConn::kPaused);
      Dedicated& d = dedicated(l, shard);
      // Copies: a release may answer commands whose sinks give connections back.
      auto idle = d.idle;
      auto busy = d.busy;
      for (auto& c : idle) c->release(PipelineConn::kPaused);
      for (auto& c : busy) c->release(PipelineConn::kPaused);
    });
  }
}

void BackendPool::tick(Clock::time_point now) {
  for (size_t shard = 0; shard < paused_until_.size(); ++shard) {
    if (paused(shard) && now >= paused_until_[shard]) {
      spdlog::warn("worker {}: pause of shard {} timed out, resuming", worker_.index(), shard);
      resume({shard});
    }
  }
  each_lane([&](Lane& l) {
    for (auto& c : l.conns) {
      if (c) c->check_timeouts(now);
    }
    for (auto& d : l.dedicated) {
      for (auto& c : d.busy) c->check_timeouts(now);
    }
  });
  for (auto& c : retiring_) c->check_timeouts(now);
  std::vector<std::shared_ptr<PipelineConn>> reading = side_;  // a sink may make new ones
  each_lane([&](Lane& l) {
    for (auto& [target, c] : l.replicas) reading.push_back(c);
  });
  for (auto& c : reading) {
    if (c) c->check_timeouts(now);  // side_ has a null per shard not used yet
  }
  each_lane([&](Lane& l) {
    for (auto it = l.replicas.begin(); it != l.replicas.end();) {
      PipelineConn& c = *it->second;
      const auto& now_replicas = table_->replicas(c.shard());
      bool still =
          std::find(now_replicas.begin(), now_replicas.end(), c.target()) != now_replicas.end();
      if (!still && c.in_flight() == 0) {
        c.close();
        it = l.replicas.erase(it);
      } else {
        ++it;
      }
    }
  });
  for (auto& w : subscribers_) {
    if (auto s = w.lock()) s->check_timeouts(now);
  }
  std::erase_if(retiring_, [](const auto& c) { return c->in_flight() == 0; });
}

void BackendPool::close_all() {
  each_lane([&](Lane& l) {
    for (auto& c : l.conns) {
      if (c) c->close();
    }
  });
  for (auto& c : retiring_) c->close();
  std::vector<std::shared_ptr<PipelineConn>> reading = side_;  // close() answers sinks: copies
  each_lane([&](Lane& l) {
    for (auto& [target, c] : l.replicas) reading.push_back(c);
  });
  for (auto& c : reading) {
    if (c) c->close();
  }
  each_lane([&](Lane& l) {
    for (auto& d : l.dedicated) {
      // close() answers the commands in flight, which may release connections: work on copies.
      auto busy = d.busy;
      for (auto& c : busy) c->close();
      for (auto& c : d.idle) c->close();
    }
  });
}

}  // namespace preshard::backend
