#include "preshard/sentinel/sentinel_watch.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "preshard/config/sentinel_name.hpp"
#include "preshard/resp/reply_view.hpp"
#include "preshard/sentinel/sentinel_reply.hpp"

namespace preshard::sentinel {

SentinelWatch::SentinelWatch(asio::io_context& io, std::shared_ptr<net::NameCache> names,
                             const config::Config& c, OnMaster on_master)
    : io_(io),
      names_(std::move(names)),
      pattern_(c.sentinel_name),
      password_(c.sentinel_password),
      shards_(c.instances.size()),
      timeout_(std::max(c.timeout_ms, c.connect_timeout_ms)),
      poll_every_(c.sentinel_poll_ms),
      on_master_(std::move(on_master)),
      known_(shards_),
      complaint_(shards_),
      rounds_left_(c.sentinels.size()),
      timer_(io) {
  for (const auto& s : c.sentinels) sentinels_.push_back({s, nullptr, nullptr, true, 0});
}

void SentinelWatch::start() {
  for (size_t i = 0; i < sentinels_.size(); ++i) {
    subscribe(i);
    ask_all(i, "sentinel-start");
  }
  poll();
}

void SentinelWatch::stop() {
  stopped_ = true;
  timer_.cancel();
  for (auto& p : sentinels_) {
    if (p.ask) p.ask->close("proxy stopping");
    if (p.events) p.events->close("proxy stopping");
  }
}

size_t SentinelWatch::shards_known() const {
  return static_cast<size_t>(
      std::count_if(known_.begin(), known_.end(), [](const Known& k) { return k.set; }));
}

size_t SentinelWatch::sentinels_up() const {
  return static_cast<size_t>(std::count_if(sentinels_.begin(), sentinels_.end(), [](const Peer& p) {
    return p.events && p.events->ready() && !p.events->closed();
  }));
}

std::shared_ptr<SentinelLink> SentinelWatch::link(size_t peer, bool events) {
  SentinelLink::Handlers h;
  std::string who = sentinels_[peer].address.to_string();
  if (events) h.message = [this](std::string_view raw) { on_event(raw); };
  h.down = [this, who, events](const std::string& why) {
    if (!stopped_) {
      spdlog::warn("sentinel {}: {} connection lost: {}", who, events ? "event" : "query", why);
    }
  };
  return std::make_shared<SentinelLink>(io_, names_, sentinels_[peer].address, password_, timeout_,
                                        std::move(h));
}

void SentinelWatch::subscribe(size_t peer) {
  Peer& p = sentinels_[peer];
  bool again = p.events != nullptr;
  p.events = link(peer, true);
  p.events->send(resp::Request{"SUBSCRIBE", "+switch-master"},
                 [this, peer, again, who = p.address.to_string()](std::string_view raw) {
                   if (raw.empty() || stopped_) return;
                   if (raw[0] == '-') {
                     spdlog::error("sentinel {}: SUBSCRIBE +switch-master refused: {}", who,
                                   raw.substr(1, raw.find('\r') - 1));
                     return;
                   }
                   spdlog::info("sentinel {}: following +switch-master", who);
                   // A switch may have happened while we were not listening.
                   if (again) ask_all(peer, "sentinel-poll");
                 });
}

void SentinelWatch::ask_all(size_t peer, const char* how) {
  Peer& p = sentinels_[peer];
  if (p.asking > 0) return;  // still busy with an earlier round: do not pile questions up
  if (!p.ask || p.ask->closed()) p.ask = link(peer, false);
  p.asking = shards_;
  std::string who = p.address.to_string();
  for (size_t shard = 0; shard < shards_; ++shard) {
    resp::Request req{"SENTINEL", "MASTER", config::sentinel_name(pattern_, shard, shards_)};
    p.ask->send(req, [this, peer, shard, who, how](std::string_view raw) {
      if (!raw.empty() && !stopped_) on_answer(shard, raw, who, how);
      Peer& q = sentinels_[peer];
      if (--q.asking == 0 && q.first_round) {
        q.first_round = false;
        --rounds_left_;
      }
    });
  }
}

void SentinelWatch::on_answer(size_t shard, std::string_view raw, const std::string& sentinel,
                              const char* how) {
  std::string why;
  auto m = parse_master(raw, why);
  if (!m) {
    std::string complaint = sentinel + ": " + why;
    if (complaint_[shard] != complaint) {
      spdlog::warn("sentinel {}: shard {} ({}): {}", sentinel, shard,
                   config::sentinel_name(pattern_, shard, shards_), why);
      complaint_[shard] = complaint;
    }
    return;
  }
  Known& k = known_[shard];
  // A lower or equal epoch is an older (or the same) configuration: never undo a newer one.
  if (k.set && m->config_epoch <= k.epoch) return;
  bool changed = !k.set || !(k.master == m->address);
  k = {true, m->address, m->config_epoch};
  if (changed) on_master_(shard, m->address, how);
}

void SentinelWatch::on_event(std::string_view raw) {
  resp::ReplyView view;
  if (!view.parse(raw)) return;
  auto root = view.root();
  if (root.size() != 3 || root[0].str() != "message" || root[1].str() != "+switch-master") return;
  auto sw = parse_switch(root[2].str());
  if (!sw) {
    spdlog::warn("sentinel: unreadable +switch-master: {}", root[2].str());
    return;
  }
  auto shard = config::shard_of_sentinel_name(pattern_, sw->name, shards_);
  if (!shard) return;  // a master Sentinel watches for someone else
  Known& k = known_[*shard];
  if (k.set && k.master == sw->to) return;  // every Sentinel tells the same switch
  // The event carries no epoch: it is newer than what we know; a later answer must carry a
  // higher epoch to change it again.
  k.set = true;
  k.master = sw->to;
  on_master_(*shard, sw->to, "switch-master");
}

void SentinelWatch::poll() {
  if (stopped_) return;
  timer_.expires_after(poll_every_);
  timer_.async_wait([this](const error_code& ec) {
    if (ec || stopped_) return;
    for (size_t i = 0; i < sentinels_.size(); ++i) {
      if (!sentinels_[i].events || sentinels_[i].events->closed()) subscribe(i);
      ask_all(i, "sentinel-poll");
    }
    poll();
  });
}

}  // namespace preshard::sentinel
