// Session: pub/sub. The worker's PubSubHub holds the instances' subscriptions; the session keeps
// its own topics, so its replies carry Redis's counts whatever the shards hold.
#include <spdlog/spdlog.h>

#include "preshard/core/errors.hpp"
#include "preshard/io/context.hpp"
#include "preshard/io/session.hpp"
#include "preshard/resp/encode.hpp"

namespace preshard::io {

namespace {

namespace errors = core::errors;

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
void append_confirmation(std::string& out, std::string_view what, const std::string_view* name,
                         size_t count) {
  resp::append_array_header(out, 3);
  resp::append_bulk(out, what);
  if (name) {
    resp::append_bulk(out, *name);
  } else {
    resp::append_nil(out);
  }
  resp::append_integer(out, static_cast<long long>(count));
}

}  // namespace

void Session::pubsub_command(const command::CommandSpec& spec, const resp::Request& req) {
  using command::Op;
  switch (spec.op) {
    case Op::kPublish:
      forward(ctx_.table().shard_of(req[1]), req);  // the channel is hashed like a key
      return;
    case Op::kSubscribe:
      return subscribe_to(Topic::kChannel, req);
    case Op::kPsubscribe:
      return subscribe_to(Topic::kPattern, req);
    case Op::kSsubscribe:
      return subscribe_to(Topic::kShardChannel, req);
    case Op::kUnsubscribe:
      return unsubscribe_from(Topic::kChannel, req);
    case Op::kPunsubscribe:
      return unsubscribe_from(Topic::kPattern, req);
    default:
      return unsubscribe_from(Topic::kShardChannel, req);
  }
}

void Session::subscribe_to(Topic kind, const resp::Request& req) {
  if (kind == Topic::kShardChannel) {
    // Like Redis Cluster's CROSSSLOT: one SSUBSCRIBE serves one shard.
    size_t first = ctx_.table().shard_of(req[1]);
    for (size_t i = 2; i < req.size(); ++i) {
      if (ctx_.table().shard_of(req[i]) != first) {
        stats::ThreadStats::add(ctx_.stats().crossshard_errors);
        reply_error(errors::kCrossShard);
        return;
      }
    }
  }
  auto& set = kind == Topic::kChannel   ? subs_.channels
              : kind == Topic::kPattern ? subs_.patterns
                                        : subs_.shard_channels;
  std::string reply;
  std::vector<std::string_view> fresh;
  for (size_t i = 1; i < req.size(); ++i) {
    std::string_view name = req[i];
    if (set.emplace(name).second) fresh.push_back(name);
    size_t count = kind == Topic::kShardChannel ? subs_.shard_channels.size()
                                                : subs_.channels.size() + subs_.patterns.size();
    append_confirmation(reply, names_of(kind).subscribe, &name, count);
  }
  // The reply waits until the instances confirmed every new topic (+1: this function's own
  // share, so that it cannot complete half-built).
  auto wait = std::make_shared<SubscribeWait>(shared_from_this(), replies_.reserve(),
                                              std::move(reply), fresh.size() + 1);
  for (std::string_view name : fresh) ctx_.pubsub().subscribe(kind, name, this, wait);
  wait->confirmed();
}

void Session::unsubscribe_from(Topic kind, const resp::Request& req) {
  auto& set = kind == Topic::kChannel   ? subs_.channels
              : kind == Topic::kPattern ? subs_.patterns
                                        : subs_.shard_channels;
  std::vector<std::string> names;
  if (req.size() > 1) {
    for (size_t i = 1; i < req.size(); ++i) names.emplace_back(req[i]);
  } else {
    names.assign(set.begin(), set.end());  // none named: all of them
  }
  std::string reply;
  for (const std::string& name : names) {
    if (set.erase(name) > 0) ctx_.pubsub().unsubscribe(kind, name, this);
    size_t count = kind == Topic::kShardChannel ? subs_.shard_channels.size()
                                                : subs_.channels.size() + subs_.patterns.size();
    std::string_view n = name;
    append_confirmation(reply, names_of(kind).unsubscribe, &n, count);
  }
  if (names.empty()) {
    size_t count = kind == Topic::kShardChannel ? 0 : subs_.channels.size() + subs_.patterns.size();
    append_confirmation(reply, names_of(kind).unsubscribe, nullptr, count);
  }
  reply_raw(reply);
}

void Session::unsubscribe_all() {
  PubSubHub& hub = ctx_.pubsub();
  for (const std::string& n : subs_.channels) hub.unsubscribe(Topic::kChannel, n, this);
  for (const std::string& n : subs_.patterns) hub.unsubscribe(Topic::kPattern, n, this);
  for (const std::string& n : subs_.shard_channels) hub.unsubscribe(Topic::kShardChannel, n, this);
  subs_ = Subscriptions{};
}

void Session::push_message(std::string_view raw) {
  if (closed_ || close_when_done_) return;
  // Redis's client-output-buffer-limit for pubsub clients: one that does not read is dropped.
  if (out_.size() + writing_.size() + replies_.held_bytes() + raw.size() >
      ctx_.settings().client_max_output_bytes) {
    spdlog::warn("client {} {}: subscriber over client_max_output_bytes, closing", id_,
                 transport_.peer());
    transport_.reset_on_close();  // drop what is queued
    close();
    return;
  }
  // Through the reply queue, so that a message never overtakes an earlier reply.
  replies_.complete(replies_.reserve(), raw, out_);
  request_flush();
}

void Session::lose_subscriptions() {
  if (closed_) return;
  close_when_done_ = true;
  finish_if_done();
}

}  // namespace preshard::io
