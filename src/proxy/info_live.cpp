// INFO with sections that describe the instances (Memory, Persistence, Stats, Replication,
// Keyspace): every shard is asked at once, and the sections are rendered from those answers,
// so a client reads the instances as they are now (Redis's test suite reads used_memory or
// rdb_changes_since_last_save right after a write), not the shard monitor's last sample.
#include <algorithm>

#include "preshard/backend/backend_pool.hpp"
#include "preshard/fanout/keyspace.hpp"
#include "preshard/proxy/info.hpp"
#include "preshard/proxy/ops.hpp"
#include "preshard/resp/reply_view.hpp"

namespace preshard::proxy {

namespace {

thread_local const ShardMonitor::Samples* g_live = nullptr;

class LiveInfo : public backend::ReplySink {
 public:
  LiveInfo(Context& ctx, std::shared_ptr<ReplySink> client, uint64_t slot, resp::Request req,
           resp::Protocol proto, size_t shards)
      : ctx_(ctx),
        client_(std::move(client)),
        slot_(slot),
        req_(std::move(req)),
        proto_(proto),
        samples_(shards),
        texts_(shards),
        left_(shards) {}

  void on_reply(uint64_t shard, std::string_view raw) override {
    thread_local resp::ReplyView view;
    bool parsed = view.parse(raw);
    auto r = view.root();
    if (parsed && (r.is(resp::ReplyType::kBulk) || r.is(resp::ReplyType::kVerbatim))) {
      texts_[shard].assign(r.str());
      record(shard, true, "");
    } else {
      bool err = parsed && r.is(resp::ReplyType::kError);
      record(shard, false, err ? std::string(r.str()) : "unexpected reply to INFO");
    }
  }
  void on_failure(uint64_t shard, const core::errors::Error& error) override {
    record(shard, false, error.text);
  }

 private:
  void record(uint64_t shard, bool ok, std::string error) {
    auto s = std::make_shared<ShardMonitor::Sample>();
    s->probed = true;
    s->ok = ok;
    s->error = std::move(error);
    if (ok) s->info = metrics::parse_info(texts_[shard]);
    if (!ok && first_error_.empty()) first_error_ = s->error;
    samples_[shard] = std::move(s);
    if (--left_ == 0) finish();
  }

  void finish() {
    g_live = &samples_;
    std::string text = render_info(ctx_, req_);
    g_live = nullptr;
    if (info_wants_keyspace(req_)) {
      if (!text.empty()) text += "\r\n";
      fanout::KeyspaceSum sum;
      bool ok = first_error_.empty();
      for (const std::string& t : texts_) {
        // Only the Keyspace section's lines: the rest of the text is other sections.
        size_t at = t.find("# Keyspace");
        ok = ok && sum.add(at == std::string::npos ? std::string_view() : t.substr(at));
      }
      if (ok) {
        text += sum.render();
      } else {
        text += "# Keyspace\r\nkeyspace_error:";
        text += first_error_.empty() ? "unexpected keyspace reply" : first_error_;
        text += "\r\n";
      }
    }
    std::string out;
    resp::ReplyWriter(out, proto_).verbatim(text);
    client_->on_reply(slot_, out);
  }

  Context& ctx_;
  std::shared_ptr<ReplySink> client_;
  uint64_t slot_;
  resp::Request req_;
  resp::Protocol proto_;
  ShardMonitor::Samples samples_;
  std::vector<std::string> texts_;
  size_t left_;
  std::string first_error_;
};

}  // namespace

const ShardMonitor::Samples* live_info_samples() {
  return g_live;
}

namespace ops {

void info_live(Call& c) {
  // On the side connections (RESP2, db 0: INFO keyspace lists every db, whichever the client
  // selected): a pause holds nothing there, and no slow command of the shared one is ahead. A
  // client's write is in the INFO once its reply came; one pipelined just before may not be.
  static const resp::Request kInfo{"INFO",  "server",      "memory",  "persistence",
                                   "stats", "replication", "keyspace"};
  size_t shards = c.ctx.table().shard_count();
  uint64_t slot = c.client.reserve();
  auto sink =
      std::make_shared<LiveInfo>(c.ctx, c.client.shared(), slot, c.req, c.st.protocol, shards);
  for (size_t s = 0; s < shards; ++s) c.ctx.backends().side_conn(s).submit(kInfo, sink, s);
}

}  // namespace ops

}  // namespace preshard::proxy
