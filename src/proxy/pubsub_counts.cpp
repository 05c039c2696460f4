// PUBLISH, SPUBLISH and PUBSUB NUMSUB / SHARDNUMSUB answer what the instance counts: one subscriber
// connection per worker, where Redis counts every client. While some worker has more than one
// client on a topic (ServerState::pubsub_extra), the instance's answer is corrected by what
// each worker adds (PubSubHub::extra_clients), asked on that worker's own thread: no lock.
#include <cstdlib>

#include "preshard/proxy/ops.hpp"
#include "preshard/proxy/pubsub_hub.hpp"
#include "preshard/resp/reply_view.hpp"
#include "preshard/resp/reply_writer.hpp"

namespace preshard::proxy {

namespace {

class CountedReply : public backend::ReplySink, public std::enable_shared_from_this<CountedReply> {
 public:
  // publish: PUBLISH's one integer (patterns count too); else NUMSUB's name, count pairs.
  CountedReply(Context& ctx, std::shared_ptr<ReplySink> client, Topic kind, bool publish,
               std::vector<std::string> names, resp::Protocol proto)
      : ctx_(ctx),
        client_(std::move(client)),
        kind_(kind),
        publish_(publish),
        names_(std::move(names)),
        proto_(proto) {}

  void on_reply(uint64_t tag, std::string_view raw) override {
    thread_local resp::ReplyView view;
    std::vector<long long> counts;
    if (view.parse(raw)) {
      auto r = view.root();
      if (publish_ && r.is(resp::ReplyType::kInteger)) {
        counts.push_back(r.integer());
      } else if (!publish_ && r.is(resp::ReplyType::kArray) && r.size() == 2 * names_.size()) {
        for (auto e = r.first(); counts.size() < names_.size(); e = e.next().next()) {
          counts.push_back(e.next().integer());
        }
      }
    }
    // An error, or not the shape asked for: as it came.
    if (counts.empty()) return client_->on_reply(tag, raw);
    auto self = shared_from_this();
    ctx_.on_every_worker(
        [kind = kind_, names = names_, publish = publish_](Context& w) {
          std::string extra;
          for (const std::string& n : names) {
            // PUBLISH counts pattern subscribers too (they match channels, not shard channels).
            bool patterns = publish && kind == Topic::kChannel;
            extra += std::to_string(w.pubsub().extra_clients(kind, n, patterns)) + ",";
          }
          return extra;
        },
        [self, tag, counts = std::move(counts)](std::vector<std::string> workers) mutable {
          for (const std::string& w : workers) {
            const char* p = w.c_str();
            for (long long& c : counts) {
              char* end = nullptr;
              c += std::strtoll(p, &end, 10);
              p = *end == ',' ? end + 1 : end;
            }
          }
          self->write(tag, counts);
        });
  }
  void on_failure(uint64_t tag, const core::errors::Error& error) override {
    client_->on_failure(tag, error);
  }

 private:
  void write(uint64_t tag, const std::vector<long long>& counts) {
    std::string out;
    resp::ReplyWriter w(out, proto_);
    if (publish_) {
      w.integer(counts[0]);
    } else {
      w.array(2 * names_.size());
      for (size_t i = 0; i < names_.size(); ++i) {
        w.bulk(names_[i]);
        w.integer(counts[i]);
      }
    }
    client_->on_reply(tag, out);
  }

  Context& ctx_;
  std::shared_ptr<ReplySink> client_;
  Topic kind_;
  bool publish_;
  std::vector<std::string> names_;
  resp::Protocol proto_;
};

bool counts_need_correcting(Call& c) {
  return c.ctx.state().pubsub_extra.load(std::memory_order_relaxed) > 0;
}

}  // namespace

namespace ops {

// PUBLISH and SPUBLISH.
void publish(Call& c) {
  size_t shard = c.ctx.table().shard_of(c.req[1]);  // the channel hashes like a key
  if (!counts_need_correcting(c)) return to_shard(c, shard);
  Topic kind = c.spec.name == "spublish" ? Topic::kShardChannel : Topic::kChannel;
  to_shard(c, shard,
           std::make_shared<CountedReply>(c.ctx, c.client.shared(), kind, true,
                                          std::vector<std::string>{std::string(c.req[1])},
                                          c.st.protocol));
}

std::shared_ptr<backend::ReplySink> numsub_sink(Call& c) {
  if (c.spec.merge != command::Merge::kPairSum || !counts_need_correcting(c)) return nullptr;
  std::string sub(c.req[1]);
  for (char& ch : sub) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  Topic kind = sub == "shardnumsub" ? Topic::kShardChannel : Topic::kChannel;
  std::vector<std::string> names;
  for (size_t i = 2; i < c.req.size(); ++i) names.emplace_back(c.req[i]);
  return std::make_shared<CountedReply>(c.ctx, c.client.shared(), kind, false, std::move(names),
                                        c.st.protocol);
}

}  // namespace ops

}  // namespace preshard::proxy
