#include "preshard/io/scan_request.hpp"

#include <hiredis/hiredis.h>

#include <charconv>

#include "preshard/fanout/scan_cursor.hpp"
#include "preshard/resp/encode.hpp"
#include "preshard/resp/reply_tree.hpp"

namespace preshard::io {

void ScanRequest::on_reply(uint64_t, std::string_view raw) {
  resp::ReplyPtr r = resp::parse_reply(raw);
  if (r && r->type == REDIS_REPLY_ERROR) {
    client_->on_reply(slot_, raw);  // Redis's own error (a bad option): as it is
    return;
  }
  uint64_t next = 0;
  bool ok = r && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
            r->element[0]->type == REDIS_REPLY_STRING;
  if (ok) {
    const char* s = r->element[0]->str;
    auto res = std::from_chars(s, s + r->element[0]->len, next);
    ok = res.ec == std::errc() && res.ptr == s + r->element[0]->len;
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
  resp::append_array_header(out, 2);
  resp::append_bulk(out, *cursor);
  resp::append_reply(out, *r->element[1]);
  client_->on_reply(slot_, out);
}

}  // namespace preshard::io
