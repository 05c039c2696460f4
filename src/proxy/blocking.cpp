// Blocking commands (BLPOP, BZPOPMIN, XREAD BLOCK, WAIT, ...): each on a dedicated connection,
// whose reply may take the command's own timeout plus timeout_ms (forever for a timeout of 0).
// The client is read but not served meanwhile, as Redis holds a blocked client's later commands.
#include "preshard/command/block_timeout.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/proxy/ops.hpp"

namespace preshard::proxy::ops {

void blocking(Call& c) {
  namespace errors = core::errors;
  bool spans = false;
  size_t shard = locate(c, spans);  // WAIT, keyless: shard 0
  if (spans) {
    stats::ThreadStats::add(c.ctx.stats().crossshard_errors);
    c.st.cmd_rejected = true;
    return c.client.error_now(errors::kCrossShard);
  }
  if (wait_for_earlier(c.client)) return;
  auto conn = c.ctx.backends().acquire_dedicated(shard, c.st.mode());
  if (!conn) {
    return c.client.error_now(
        errors::blocking_limit(shard, c.ctx.settings().blocking_connections_per_shard));
  }
  stats::ThreadStats::add(c.ctx.stats().blocking_commands);
  conn->set_extra_wait(command::block_timeout(c.spec, c.req));
  uint64_t slot = c.client.reserve();
  c.st.blocking_conn = conn;
  c.client.block(slot);
  conn->submit(c.req, c.client.shared(), slot);  // a shard that is down answers at once
}

}  // namespace preshard::proxy::ops
