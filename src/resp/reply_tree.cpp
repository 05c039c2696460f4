#include "preshard/resp/reply_tree.hpp"

#include <hiredis/hiredis.h>

#include <memory>

#include "preshard/resp/encode.hpp"

namespace preshard::resp {

void ReplyDeleter::operator()(redisReply* r) const {
  freeReplyObject(r);
}

namespace {

struct ReaderDeleter {
  void operator()(redisReader* r) const { redisReaderFree(r); }
};

// One reader per thread, reused: creating one per reply cost several allocations per shard
// reply. hiredis trims what was consumed and frees an oversized idle buffer (maxbuf) itself.
std::unique_ptr<redisReader, ReaderDeleter>& thread_reader() {
  thread_local std::unique_ptr<redisReader, ReaderDeleter> reader;
  if (!reader) reader.reset(redisReaderCreate());
  return reader;
}

}  // namespace

ReplyPtr parse_reply(std::string_view raw) {
  redisReader* reader = thread_reader().get();
  if (reader == nullptr) return nullptr;
  void* obj = nullptr;
  bool ok = redisReaderFeed(reader, raw.data(), raw.size()) == REDIS_OK &&
            redisReaderGetReply(reader, &obj) == REDIS_OK && obj != nullptr;
  // Exactly one reply: nothing may be left over.
  ok = ok && reader->pos == reader->len;
  if (!ok) {
    if (obj != nullptr) freeReplyObject(obj);
    thread_reader().reset();  // its state is unknown now: the next parse starts afresh
    return nullptr;
  }
  return ReplyPtr(static_cast<redisReply*>(obj));
}

void append_reply(std::string& out, const redisReply& r) {
  switch (r.type) {
    case REDIS_REPLY_STRING:
      append_bulk(out, std::string_view(r.str, r.len));
      break;
    case REDIS_REPLY_STATUS:
      append_simple(out, std::string_view(r.str, r.len));
      break;
    case REDIS_REPLY_ERROR:
      append_error(out, std::string_view(r.str, r.len));
      break;
    case REDIS_REPLY_INTEGER:
      append_integer(out, r.integer);
      break;
    case REDIS_REPLY_ARRAY:
      append_array_header(out, r.elements);
      for (size_t i = 0; i < r.elements; ++i) append_reply(out, *r.element[i]);
      break;
    default:
      append_nil(out);
      break;
  }
}

}  // namespace preshard::resp
