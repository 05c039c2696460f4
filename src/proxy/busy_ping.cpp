// PING is answered by the proxy: no round trip, and a health check of the proxy does not fail
// for one instance. But Redis answers BUSY while a script runs past busy-reply-threshold, and
// clients and tests use PING to learn that. So while a script is in flight on the client's
// shard (its latest keyed command's; shard 0 before any), its PING is asked of that instance,
// on the side connection that a busy instance still reads.
#include "preshard/proxy/ops.hpp"

namespace preshard::proxy::ops {

bool ping_busy_shard(Call& c) {
  if (c.st.subs.view().any() || c.req.size() > 2) return false;  // the proxy's own forms and errors
  if (!c.ctx.state().script_in_flight(c.st.home_shard)) return false;
  // A script of its own still in flight: Redis would answer this PING after it, with PONG.
  if (!c.client.all_answered()) return false;
  c.ctx.backends().side_conn(c.st.home_shard).submit(c.req, c.client.shared(), c.client.reserve());
  return true;
}

}  // namespace preshard::proxy::ops
