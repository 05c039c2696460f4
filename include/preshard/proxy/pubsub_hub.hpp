#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "preshard/backend/reply_sink.hpp"
#include "preshard/backend/subscriber_conn.hpp"
#include "preshard/proxy/context.hpp"
#include "preshard/router/routing_table.hpp"

namespace preshard::proxy {

class ClientPort;

enum class Topic : char {
  kChannel = 'c',       // SUBSCRIBE: on the channel's shard
  kPattern = 'p',       // PSUBSCRIBE: on every shard (a match may be published anywhere)
  kShardChannel = 's',  // SSUBSCRIBE: on the channel's shard
};

// One (P|S)SUBSCRIBE command waiting for the instances to confirm its topics: the client's
// reply is ready (the proxy counts the client's subscriptions itself) and goes out once every
// topic is confirmed, so that no message published after it can be missed.
class SubscribeWait {
 public:
  SubscribeWait(std::shared_ptr<ClientPort> session, uint64_t slot, std::string reply,
                size_t topics);
  void confirmed();
  void failed(const core::errors::Error& error);

 private:
  void finish();
  std::shared_ptr<ClientPort> session_;
  uint64_t slot_;
  std::string reply_;
  size_t remaining_;
  std::optional<core::errors::Error> error_;
};

// A worker's pub/sub: one subscriber connection per shard, shared by all the worker's
// subscribed clients. A topic is subscribed on the instance when its first client subscribes
// and unsubscribed when its last one leaves; messages are copied to every client of the topic.
// If a subscriber connection fails, its topics' clients are disconnected (as Redis would
// disconnect them), since they may have missed messages.
class PubSubHub : public ReplySink, public std::enable_shared_from_this<PubSubHub> {
 public:
  explicit PubSubHub(Context& ctx) : ctx_(ctx) {}

  void subscribe(Topic kind, std::string_view name, ClientPort* s,
                 const std::shared_ptr<SubscribeWait>& wait);
  void unsubscribe(Topic kind, std::string_view name, ClientPort* s);
  void close_all();

  // The instance counts this worker's subscriber connection once per topic; Redis counts
  // every client. What this worker adds to an instance's count: for `name`, its clients beyond
  // the first; with `patterns`, also every pattern's that matches `name` (PUBLISH's receivers).
  long long extra_clients(Topic kind, std::string_view name, bool patterns) const;
  // After a reload: subscriptions on instances that left the table end (their clients are
  // disconnected and resubscribe, now to the new instance).
  void retarget(const router::RoutingTable& before);

  // From the subscriber connections (tag: the shard).
  void on_reply(uint64_t shard, std::string_view raw) override;
  void on_failure(uint64_t shard, const core::errors::Error& error) override;

 private:
  struct Entry {
    std::vector<size_t> shards;   // where it is subscribed
    std::vector<size_t> pending;  // shards that have not confirmed yet
    std::vector<ClientPort*> sessions;
    std::vector<std::shared_ptr<SubscribeWait>> waiters;
    std::optional<core::errors::Error> broken;  // its subscriber connection failed: joining fails
  };
  static std::string key(Topic kind, std::string_view name);
  // Keeps ServerState::pubsub_extra (clients beyond a topic's first, every worker) in step
  // with an entry whose clients went from `before` to `after`.
  void count_clients(size_t before, size_t after);
  backend::SubscriberConn& conn(size_t shard);
  void send(Topic kind, bool subscribe, std::string_view name, const std::vector<size_t>& shards);
  void confirm(Topic kind, std::string_view name, size_t shard);
  void deliver(Topic kind, std::string_view name, std::string_view raw);
  // Unsubscribes and forgets an entry with no client left, once nothing is pending.
  void drop_if_unused(std::unordered_map<std::string, Entry>::iterator it);

  Context& ctx_;
  std::unordered_map<std::string, Entry> topics_;  // by key(kind, name)
  std::vector<std::shared_ptr<backend::SubscriberConn>> conns_;
};

}  // namespace preshard::proxy
