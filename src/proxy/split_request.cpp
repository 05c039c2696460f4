#include "preshard/proxy/split_request.hpp"

#include "preshard/backend/backend_pool.hpp"

namespace preshard::proxy {

SplitRequest::SplitRequest(std::shared_ptr<ReplySink> client, uint64_t slot, command::Merge rule,
                           fanout::SplitPlan plan, backend::ConnMode mode, uint64_t seed)
    : client_(std::move(client)),
      slot_(slot),
      plan_(std::move(plan)),
      merger_(rule, plan_, seed),
      mode_(mode) {}

void SplitRequest::send(BackendPool& pool, PipelineConn* pinned, net::ReadFrom reads, bool side) {
  auto self = shared_from_this();
  for (size_t i = 0; i < plan_.parts.size(); ++i) {
    fanout::Part& part = plan_.parts[i];
    PipelineConn* conn = nullptr;
    if (side) {
      conn = &pool.side_conn(part.shard);
    } else if (pinned && pinned->shard() == part.shard) {
      conn = pinned;
    } else if (reads != net::ReadFrom::kMaster && pinned == nullptr) {
      conn = pool.replica_conn(part.shard, mode_, reads == net::ReadFrom::kPreferReplica);
    }
    if (conn == nullptr) conn = &pool.conn(part.shard, mode_);
    conn->submit(part.request, self, i);
    part.request.clear();  // encoded into the connection's buffer; the copy is not needed
  }
}

void SplitRequest::on_reply(uint64_t part, std::string_view raw) {
  merger_.add_reply(part, raw);
  finish_if_done();
}

void SplitRequest::on_failure(uint64_t part, const core::errors::Error& error) {
  merger_.add_failure(part, error.text);
  finish_if_done();
}

void SplitRequest::finish_if_done() {
  if (!merger_.done()) return;
  client_->on_reply(slot_, merger_.result(mode_.protocol));
  client_.reset();
}

}  // namespace preshard::proxy
