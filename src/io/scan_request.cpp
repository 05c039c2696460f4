#include "preshard/io/scan_request.hpp"

#include <charconv>

#include "preshard/fanout/scan_cursor.hpp"
#include "preshard/resp/reply_view.hpp"
#include "preshard/resp/reply_writer.hpp"

namespace preshard::io {

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
  resp::ReplyWriter w(out);
  w.array(2);
  w.bulk(*cursor);
  w.raw(r.first().next().raw());  // the keys, as the shard sent them
  client_->on_reply(slot_, out);
}

}  // namespace preshard::io
