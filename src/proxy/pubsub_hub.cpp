#include "preshard/proxy/pubsub_hub.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "preshard/acl/glob.hpp"
#include "preshard/proxy/client_port.hpp"
#include "preshard/proxy/context.hpp"
#include "preshard/resp/reply_view.hpp"

namespace preshard::proxy {

SubscribeWait::SubscribeWait(std::shared_ptr<ClientPort> session, uint64_t slot, std::string reply,
                             size_t topics)
    : session_(std::move(session)), slot_(slot), reply_(std::move(reply)), remaining_(topics) {}

void SubscribeWait::confirmed() {
  if (--remaining_ == 0) finish();
}

void SubscribeWait::failed(const core::errors::Error& error) {
  if (!error_) error_ = error;
  confirmed();
}

void SubscribeWait::finish() {
  if (!error_) {
    session_->on_reply(slot_, reply_);
  } else {
    // Some topic is not subscribed: rather than a client that thinks it is, a closed one.
    session_->on_failure(slot_, *error_);
    session_->close_after_replies();
  }
  session_.reset();
}

std::string PubSubHub::key(Topic kind, std::string_view name) {
  std::string k(1, static_cast<char>(kind));
  k += name;
  return k;
}

backend::SubscriberConn& PubSubHub::conn(size_t shard) {
  if (conns_.size() <= shard) conns_.resize(ctx_.table().shard_count());
  auto& c = conns_[shard];
  if (!c) c = ctx_.backends().make_subscriber(shard, weak_from_this());
  return *c;
}

void PubSubHub::send(Topic kind, bool subscribe, std::string_view name,
                     const std::vector<size_t>& shards) {
  static constexpr std::string_view kSub[] = {"SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE"};
  static constexpr std::string_view kUnsub[] = {"UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE"};
  size_t i = kind == Topic::kChannel ? 0 : kind == Topic::kPattern ? 1 : 2;
  resp::Request req{subscribe ? kSub[i] : kUnsub[i], name};
  auto self = shared_from_this();  // a failure inside send() must not end the hub
  for (size_t shard : shards) {
    if (subscribe) {
      conn(shard).send(req);  // a shard that is down calls on_failure here
    } else if (shard < conns_.size() && conns_[shard] && conns_[shard]->live()) {
      conns_[shard]->send(req);
    }
  }
}

namespace {
// The gauge that counts a kind of topic (INFO stats' pubsub_channels, ...).
stats::Counter stats::ThreadStats::*topic_gauge(Topic kind) {
  if (kind == Topic::kPattern) return &stats::ThreadStats::pubsub_patterns;
  if (kind == Topic::kShardChannel) return &stats::ThreadStats::pubsubshard_channels;
  return &stats::ThreadStats::pubsub_channels;
}
}  // namespace

void PubSubHub::subscribe(Topic kind, std::string_view name, ClientPort* s,
                          const std::shared_ptr<SubscribeWait>& wait) {
  auto [it, fresh] = topics_.try_emplace(key(kind, name));
  if (fresh) stats::ThreadStats::add(ctx_.stats().*topic_gauge(kind));
  Entry& e = it->second;
  if (e.broken) {
    wait->failed(*e.broken);
    return;
  }
  e.sessions.push_back(s);
  count_clients(e.sessions.size() - 1, e.sessions.size());
  if (!fresh) {
    if (e.pending.empty()) {
      wait->confirmed();
    } else {
      e.waiters.push_back(wait);
    }
    return;
  }
  if (kind == Topic::kPattern) {
    for (size_t i = 0; i < ctx_.table().shard_count(); ++i) e.shards.push_back(i);
  } else {
    e.shards.push_back(ctx_.table().shard_of(name));
  }
  e.pending = e.shards;
  e.waiters.push_back(wait);
  std::vector<size_t> shards = e.shards;  // a failure inside send() may drop the entry
  send(kind, true, name, shards);
}

void PubSubHub::unsubscribe(Topic kind, std::string_view name, ClientPort* s) {
  auto it = topics_.find(key(kind, name));
  if (it == topics_.end()) return;
  auto& sessions = it->second.sessions;
  auto pos = std::find(sessions.begin(), sessions.end(), s);
  if (pos == sessions.end()) return;
  sessions.erase(pos);
  count_clients(sessions.size() + 1, sessions.size());
  drop_if_unused(it);
}

void PubSubHub::count_clients(size_t before, size_t after) {
  auto extra = [](size_t n) { return n > 1 ? static_cast<long long>(n) - 1 : 0LL; };
  if (long long d = extra(after) - extra(before)) ctx_.state().pubsub_extra.fetch_add(d);
}

long long PubSubHub::extra_clients(Topic kind, std::string_view name, bool patterns) const {
  long long n = 0;
  auto it = topics_.find(key(kind, name));
  if (it != topics_.end() && it->second.sessions.size() > 1) n += it->second.sessions.size() - 1;
  if (!patterns) return n;
  for (const auto& [k, e] : topics_) {
    if (k[0] == static_cast<char>(Topic::kPattern) && e.sessions.size() > 1 &&
        acl::glob_match(std::string_view(k).substr(1), name)) {
      n += static_cast<long long>(e.sessions.size()) - 1;
    }
  }
  return n;
}

void PubSubHub::drop_if_unused(std::unordered_map<std::string, Entry>::iterator it) {
  Entry& e = it->second;
  // Until every instance confirmed, a later confirmation could be taken for a newer entry's.
  if (!e.sessions.empty() || !e.pending.empty() || !e.waiters.empty()) return;
  auto kind = static_cast<Topic>(it->first[0]);
  std::string name = it->first.substr(1);
  std::vector<size_t> shards = std::move(e.shards);
  stats::ThreadStats::sub(ctx_.stats().*topic_gauge(kind));
  topics_.erase(it);
  send(kind, false, name, shards);
}

void PubSubHub::on_reply(uint64_t shard, std::string_view raw) {
  thread_local resp::ReplyView view;
  using T = resp::ReplyType;
  bool parsed = view.parse(raw);
  auto r = view.root();
  if (!parsed || !(r.is(T::kArray) || r.is(T::kPush)) || r.size() < 3 || !r.first().is(T::kBulk) ||
      !r.first().next().is(T::kBulk)) {
    // An error (a subscription refused by the instance) or something unexpected: the
    // connection cannot be trusted to carry what its clients expect.
    spdlog::warn("shard {}: unexpected reply on the subscriber connection", shard);
    // Never reused: the next subscription to this shard gets a new connection. (This call
    // runs inside the old one's reply loop, which stops once its epoch changed.)
    auto old = std::move(conns_[shard]);
    old->detach();  // its failure is told below, with the reason
    old->close();
    on_failure(shard, core::errors::subscription_refused(shard));
    return;
  }
  std::string_view what = r.first().str();
  std::string_view name = r.first().next().str();
  bool message = what == "message" || what == "pmessage" || what == "smessage";
  if (!message && shard < conns_.size() && conns_[shard]) conns_[shard]->confirmed();
  if (what == "message") {
    deliver(Topic::kChannel, name, raw);
  } else if (what == "pmessage") {
    deliver(Topic::kPattern, name, raw);
  } else if (what == "smessage") {
    deliver(Topic::kShardChannel, name, raw);
  } else if (what == "subscribe") {
    confirm(Topic::kChannel, name, shard);
  } else if (what == "psubscribe") {
    confirm(Topic::kPattern, name, shard);
  } else if (what == "ssubscribe") {
    confirm(Topic::kShardChannel, name, shard);
  }
  // Unsubscribe confirmations need nothing: the entry is already gone.
}

void PubSubHub::confirm(Topic kind, std::string_view name, size_t shard) {
  auto it = topics_.find(key(kind, name));
  if (it == topics_.end()) return;
  Entry& e = it->second;
  std::erase(e.pending, shard);
  if (!e.pending.empty()) return;
  auto waiters = std::move(e.waiters);
  e.waiters.clear();
  drop_if_unused(it);  // everyone may have left while it was being subscribed
  for (auto& w : waiters) w->confirmed();
}

void PubSubHub::deliver(Topic kind, std::string_view name, std::string_view raw) {
  auto it = topics_.find(key(kind, name));
  if (it == topics_.end()) return;
  // A client may leave while messages are handed out: hold them all first.
  std::vector<std::shared_ptr<ClientPort>> to;
  to.reserve(it->second.sessions.size());
  for (ClientPort* s : it->second.sessions) to.push_back(s->shared());
  stats::ThreadStats::add(ctx_.stats().pubsub_messages, to.size());
  for (auto& s : to) s->push_message(raw);
}

void PubSubHub::on_failure(uint64_t shard, const core::errors::Error& error) {
  std::vector<std::shared_ptr<ClientPort>> lost;
  std::vector<std::shared_ptr<SubscribeWait>> failed;
  for (auto it = topics_.begin(); it != topics_.end();) {
    Entry& e = it->second;
    auto next = std::next(it);
    if (std::find(e.shards.begin(), e.shards.end(), shard) != e.shards.end()) {
      std::erase(e.pending, shard);
      e.broken = error;
      for (ClientPort* s : e.sessions) lost.push_back(s->shared());
      count_clients(e.sessions.size(), 0);
      e.sessions.clear();
      failed.insert(failed.end(), e.waiters.begin(), e.waiters.end());
      e.waiters.clear();
      drop_if_unused(it);
    }
    it = next;
  }
  if (lost.empty() && failed.empty()) return;
  spdlog::warn("shard {}: subscriber connection lost; closing {} subscribed client(s)", shard,
               lost.size());
  // Told later, from the loop: the caller may be in the middle of a subscription.
  asio::post(ctx_.io(), [lost = std::move(lost), failed = std::move(failed), error] {
    for (auto& w : failed) w->failed(error);
    for (auto& s : lost) s->close_after_replies();
  });
}

void PubSubHub::retarget(const router::RoutingTable& before) {
  for (size_t shard = 0; shard < conns_.size(); ++shard) {
    if (!conns_[shard] || before.primary(shard) == ctx_.table().primary(shard)) continue;
    auto old = std::move(conns_[shard]);
    old->detach();
    old->close();
    on_failure(shard, core::errors::shard_moved(shard));
  }
}

void PubSubHub::close_all() {
  for (const auto& [k, e] : topics_) count_clients(e.sessions.size(), 0);
  topics_.clear();
  for (auto& c : conns_) {
    if (!c) continue;
    c->detach();
    c->close();
  }
}

}  // namespace preshard::proxy
