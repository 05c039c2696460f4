// PROXY RELOAD, PAUSE and RESUME. They act on every worker through the server's control
// thread, so the reply comes back to this worker when all of them are done.
#include <algorithm>
#include <optional>

#include "preshard/core/errors.hpp"
#include "preshard/proxy/ops.hpp"
#include "preshard/resp/ascii.hpp"
#include "preshard/resp/reply_writer.hpp"
#include "preshard/resp/string2ll.hpp"

namespace preshard::proxy::ops {

namespace {

namespace errors = core::errors;

// PAUSE/RESUME arguments: shard numbers, and for PAUSE an optional TIMEOUT <ms> at the end.
// Returns an error, or none with `shards` (sorted, unique) and `timeout_ms` set.
std::optional<errors::Error> parse_shards(const resp::Request& req, size_t shard_count, bool pause,
                                          std::vector<size_t>& shards, unsigned& timeout_ms) {
  size_t end = req.size();
  if (pause && end >= 4 && resp::arg_is(req[end - 2], "timeout")) {
    long long ms = 0;
    if (!resp::string2ll(req[end - 1], ms) || ms <= 0 || ms > 3600 * 1000) {
      return errors::kPauseTimeout;
    }
    timeout_ms = static_cast<unsigned>(ms);
    end -= 2;
  }
  if (end <= 2) return errors::kSyntax;
  for (size_t i = 2; i < end; ++i) {
    long long n = 0;
    if (!resp::string2ll(req[i], n) || n < 0 || static_cast<size_t>(n) >= shard_count) {
      return errors::shard_out_of_range(req[i], shard_count);
    }
    shards.push_back(static_cast<size_t>(n));
  }
  std::sort(shards.begin(), shards.end());
  shards.erase(std::unique(shards.begin(), shards.end()), shards.end());
  return std::nullopt;
}

}  // namespace

void admin(Call& c) {
  // Who may run these is the users' @proxyadmin right (checked by the dispatcher).
  const Settings& settings = c.ctx.settings();
  AdminOps* admin_ops = c.ctx.state().admin;
  std::vector<size_t> shards;
  unsigned timeout_ms = settings.pause_timeout_ms;
  using command::Op;
  if (c.spec.op != Op::kProxyReload) {
    auto error = parse_shards(c.req, c.ctx.table().shard_count(), c.spec.op == Op::kProxyPause,
                              shards, timeout_ms);
    if (error) return c.client.error_now(*error);
  }
  uint64_t slot = c.client.reserve();
  // Called on the control thread: the answer is made on this worker's.
  auto answer = [client = c.client.shared(), slot, proto = c.st.protocol,
                 &io = c.ctx.io()](std::string error) {
    asio::post(io, [client, slot, proto, error = std::move(error)] {
      std::string raw;
      resp::ReplyWriter w(raw, proto);
      if (error.empty()) {
        w.simple("OK");
      } else {
        w.error(error);
      }
      client->on_reply(slot, raw);
    });
  };
  if (c.spec.op == Op::kProxyReload) {
    admin_ops->reload(answer);
  } else if (c.spec.op == Op::kProxyPause) {
    admin_ops->pause(std::move(shards), timeout_ms, [answer] { answer(""); });
  } else {
    admin_ops->resume(std::move(shards), [answer] { answer(""); });
  }
}

}  // namespace preshard::proxy::ops
