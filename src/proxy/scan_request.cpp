#include "preshard/proxy/scan_request.hpp"

#include <charconv>

#include "preshard/core/errors.hpp"
#include "preshard/fanout/scan_cursor.hpp"
#include "preshard/proxy/ops.hpp"
#include "preshard/resp/reply_view.hpp"
#include "preshard/resp/reply_writer.hpp"

namespace preshard::proxy {

void ScanRequest::on_reply(uint64_t, std::string_view raw) {
  thread_local resp::ReplyView view;
  bool parsed = view.parse(raw);
  auto r = view.root();
  if (parsed && r.is(resp::ReplyType::kError)) {
    client_->on_reply(slot_, raw);  // Redis's own error (a bad option): as it is
    return;
  }
  uint64_t next = 0;
  bool ok = parsed && r.is(resp::ReplyType::kArray) && r.size() == 2 &&
            r.first().is(resp::ReplyType::kBulk);
  if (ok) {
    std::string_view s = r.first().str();
    auto res = std::from_chars(s.data(), s.data() + s.size(), next);
    ok = res.ec == std::errc() && res.ptr == s.data() + s.size();
  }
  if (!ok) {
    client_->on_failure(slot_, core::errors::unexpected_scan_reply(shard_));
    return;
  }
  auto cursor = fanout::next_scan_cursor(shard_, next, shards_);
  if (!cursor) {
    client_->on_failure(slot_, core::errors::scan_cursor_too_large(shard_));
    return;
  }
  std::string out;
  resp::ReplyWriter w(out, proto_);
  w.array(2);
  w.bulk(*cursor);
  w.raw(r.first().next().raw());  // the keys, as the shard sent them
  client_->on_reply(slot_, out);
}

}  // namespace preshard::proxy

namespace preshard::proxy::ops {

void scan(Call& c) {
  size_t shards = c.ctx.table().shard_count();
  auto pos = fanout::decode_scan_cursor(c.req[1], shards);
  if (!pos) return c.client.error_now(core::errors::kInvalidCursor);
  // The same SCAN, with that shard's own cursor; the options go as they are.
  resp::Request sub;
  sub.add(c.req[0]);
  sub.add(std::to_string(pos->cursor));
  for (size_t i = 2; i < c.req.size(); ++i) sub.add(c.req[i]);
  uint64_t slot = c.client.reserve();
  backend_for(c.ctx, c.st, pos->shard)
      .submit(
          sub,
          std::make_shared<ScanRequest>(c.client.shared(), slot, pos->shard, shards, c.st.protocol),
          0);
}

}  // namespace preshard::proxy::ops
