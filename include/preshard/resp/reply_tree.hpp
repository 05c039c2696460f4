#pragma once
#include <memory>
#include <string>
#include <string_view>

struct redisReply;

namespace preshard::resp {

struct ReplyDeleter {
  void operator()(redisReply* r) const;
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

// Parses one whole RESP2 reply (as framed by ReplyFramer) into hiredis's redisReply tree, for
// the commands whose replies the proxy merges. Returns null if `raw` is not exactly one reply.
ReplyPtr parse_reply(std::string_view raw);

// Re-encodes a reply tree as RESP2.
void append_reply(std::string& out, const redisReply& r);

}  // namespace preshard::resp
