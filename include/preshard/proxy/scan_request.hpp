#pragma once
#include <memory>

#include "preshard/resp/reply_writer.hpp"

#include "preshard/backend/reply_sink.hpp"
#include "preshard/proxy/context.hpp"

namespace preshard::proxy {

// One step of a SCAN across shards: the reply of one shard's SCAN, with its cursor turned into
// the cursor the client continues with (see fanout/scan_cursor.hpp).
class ScanRequest : public ReplySink {
 public:
  ScanRequest(std::shared_ptr<ReplySink> client, uint64_t slot, size_t shard, size_t shards,
              resp::Protocol proto)
      : client_(std::move(client)), slot_(slot), shard_(shard), shards_(shards), proto_(proto) {}

  void on_reply(uint64_t, std::string_view raw) override;
  void on_failure(uint64_t, const core::errors::Error& error) override {
    client_->on_failure(slot_, error);
  }

 private:
  std::shared_ptr<ReplySink> client_;
  uint64_t slot_;
  size_t shard_;
  size_t shards_;
  resp::Protocol proto_;
};

}  // namespace preshard::proxy
