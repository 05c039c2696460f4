#pragma once
#include <memory>
#include <string>

#include "preshard/backend/reply_sink.hpp"
#include "preshard/proxy/context.hpp"
#include "preshard/resp/reply_writer.hpp"
#include "preshard/resp/request.hpp"

namespace preshard::proxy {

// The INFO text for the requested sections (none, "default", "all" or "everything": all of them).
std::string render_info(Context& worker, const resp::Request& req);
// Whether the request wants the Keyspace section, which the shards answer.
bool info_wants_keyspace(const resp::Request& req);

// Completes INFO once the shards' keyspace sections are summed (the merged reply it gets):
// the proxy's own sections, then Keyspace, as one bulk string.
class InfoReply : public ReplySink {
 public:
  InfoReply(std::shared_ptr<ReplySink> client, std::string local, resp::Protocol proto)
      : client_(std::move(client)), local_(std::move(local)), proto_(proto) {}
  void on_reply(uint64_t slot, std::string_view raw) override;
  void on_failure(uint64_t slot, const core::errors::Error& error) override;

 private:
  std::shared_ptr<ReplySink> client_;
  std::string local_;
  resp::Protocol proto_;
};

}  // namespace preshard::proxy
