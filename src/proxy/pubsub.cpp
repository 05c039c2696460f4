// Pub/sub. The worker's PubSubHub holds the instances' subscriptions; each client keeps its own
// topics, so its replies carry Redis's counts whatever the shards hold.
#include <spdlog/spdlog.h>

#include "preshard/core/errors.hpp"
#include "preshard/proxy/context.hpp"
#include "preshard/proxy/ops.hpp"
#include "preshard/proxy/pubsub_hub.hpp"
#include "preshard/resp/reply_writer.hpp"

namespace preshard::proxy::ops {

namespace {

namespace errors = core::errors;
using command::Op;

struct TopicNames {
  std::string_view subscribe, unsubscribe;
};

TopicNames names_of(Topic kind) {
  switch (kind) {
    case Topic::kChannel:
      return {"subscribe", "unsubscribe"};
    case Topic::kPattern:
      return {"psubscribe", "punsubscribe"};
    case Topic::kShardChannel:
      return {"ssubscribe", "sunsubscribe"};
  }
  return {};
}

// Redis's confirmation: [kind, name (nil for none), the client's count].
void append_confirmation(resp::ReplyWriter& w, std::string_view what, const std::string_view* name,
                         size_t count) {
  w.push(3);
  w.bulk(what);
  if (name) {
    w.bulk(*name);
  } else {
    w.null();
  }
  w.integer(static_cast<long long>(count));
}

void subscribe_to(Call& c, Topic kind) {
  const resp::Request& req = c.req;
  Subscriptions& subs = c.st.subs.edit();
  if (kind == Topic::kShardChannel) {
    // Like Redis Cluster's CROSSSLOT: one SSUBSCRIBE serves one shard.
    size_t first = c.ctx.table().shard_of(req[1]);
    for (size_t i = 2; i < req.size(); ++i) {
      if (c.ctx.table().shard_of(req[i]) != first) {
        stats::ThreadStats::add(c.ctx.stats().crossshard_errors);
        c.st.cmd_rejected = true;
        c.client.error_now(errors::kCrossShard);
        return;
      }
    }
  }
  auto& set = kind == Topic::kChannel   ? subs.channels
              : kind == Topic::kPattern ? subs.patterns
                                        : subs.shard_channels;
  std::string reply;
  resp::ReplyWriter w(reply, c.st.protocol);
  std::vector<std::string_view> fresh;
  for (size_t i = 1; i < req.size(); ++i) {
    std::string_view name = req[i];
    if (set.emplace(name).second) fresh.push_back(name);
    size_t count = kind == Topic::kShardChannel ? subs.shard_channels.size()
                                                : subs.channels.size() + subs.patterns.size();
    append_confirmation(w, names_of(kind).subscribe, &name, count);
  }
  // The reply waits until the instances confirmed every new topic (+1: this function's own
  // share, so that it cannot complete half-built).
  auto wait = std::make_shared<SubscribeWait>(c.client.shared(), c.client.reserve(),
                                              std::move(reply), fresh.size() + 1);
  for (std::string_view name : fresh) c.ctx.pubsub().subscribe(kind, name, &c.client, wait);
  wait->confirmed();
}

void unsubscribe_from(Call& c, Topic kind) {
  const resp::Request& req = c.req;
  Subscriptions& subs = c.st.subs.edit();
  auto& set = kind == Topic::kChannel   ? subs.channels
              : kind == Topic::kPattern ? subs.patterns
                                        : subs.shard_channels;
  std::vector<std::string> names;
  if (req.size() > 1) {
    for (size_t i = 1; i < req.size(); ++i) names.emplace_back(req[i]);
  } else {
    names.assign(set.begin(), set.end());  // none named: all of them
  }
  std::string reply;
  resp::ReplyWriter w(reply, c.st.protocol);
  for (const std::string& name : names) {
    if (set.erase(name) > 0) c.ctx.pubsub().unsubscribe(kind, name, &c.client);
    size_t count = kind == Topic::kShardChannel ? subs.shard_channels.size()
                                                : subs.channels.size() + subs.patterns.size();
    std::string_view n = name;
    append_confirmation(w, names_of(kind).unsubscribe, &n, count);
  }
  if (names.empty()) {
    size_t count = kind == Topic::kShardChannel ? 0 : subs.channels.size() + subs.patterns.size();
    append_confirmation(w, names_of(kind).unsubscribe, nullptr, count);
  }
  c.client.reply_now(reply);
}

}  // namespace

void pubsub(Call& c) {
  // (P|S)(UN)SUBSCRIBE confirmations are pushes, which CLIENT REPLY OFF keeps none of back
  // (Redis 7.0's CLIENT_PUSHING, in RESP2 too); messages reach the client as pushes already.
  if (c.spec.op != Op::kPublish) c.st.cmd_silent = false;
  switch (c.spec.op) {
    case Op::kPublish:
      return publish(c);  // pubsub_counts.cpp
    case Op::kSubscribe:
      return subscribe_to(c, Topic::kChannel);
    case Op::kPsubscribe:
      return subscribe_to(c, Topic::kPattern);
    case Op::kSsubscribe:
      return subscribe_to(c, Topic::kShardChannel);
    case Op::kUnsubscribe:
      return unsubscribe_from(c, Topic::kChannel);
    case Op::kPunsubscribe:
      return unsubscribe_from(c, Topic::kPattern);
    default:
      return unsubscribe_from(c, Topic::kShardChannel);
  }
}

void unsubscribe_all(Context& ctx, ClientPort& client, ClientState& st) {
  PubSubHub& hub = ctx.pubsub();
  if (!st.subs.allocated()) return;
  for (const std::string& n : st.subs.view().channels) hub.unsubscribe(Topic::kChannel, n, &client);
  for (const std::string& n : st.subs.view().patterns) hub.unsubscribe(Topic::kPattern, n, &client);
  for (const std::string& n : st.subs.view().shard_channels) {
    hub.unsubscribe(Topic::kShardChannel, n, &client);
  }
  st.subs.reset();
}

}  // namespace preshard::proxy::ops
