#include "preshard/backend/backend_pool.hpp"

#include <utility>

namespace preshard::backend {

PipelineConn& BackendPool::side_conn(size_t shard) {
  if (side_.size() < table_->shard_count()) side_.resize(table_->shard_count());
  auto& c = side_[shard];
  router::TargetId target = table_->primary(shard);
  if (c && c->target() == target) return *c;
  // New, or the shard moved (a reload, a failover): a kill goes to its master of now.
  auto old = std::exchange(c, std::make_shared<PipelineConn>(
                                  worker_, shard, target, table_->address(target), health(target)));
  c->set_handshake(auth_steps(target));  // what a busy instance still accepts
  c->set_tls(tls_name(target));
  PipelineConn& now = *c;
  if (old) old->close();  // answers its sinks, which may come back here: `now` is in place
  return now;
}

}  // namespace preshard::backend
