#include "preshard/proxy/shard_monitor.hpp"

#include <spdlog/spdlog.h>

#include "preshard/resp/reply_view.hpp"

namespace preshard::proxy {

namespace {
int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

ShardMonitor::ShardMonitor(Context& ctx)
    : ctx_(ctx),
      timer_(ctx.io()),
      probing_(ctx.table().shard_count(), false),
      probed_address_(ctx.table().shard_count()),
      samples_(ctx.table().shard_count(), std::make_shared<const Sample>()) {}

void ShardMonitor::start() {
  probe();
}

void ShardMonitor::stop() {
  stopped_ = true;
  timer_.cancel();
}

ShardMonitor::Samples ShardMonitor::samples() const {
  std::lock_guard lock(mutex_);
  return samples_;
}

void ShardMonitor::arm() {
  if (stopped_) return;
  // Off (0): look again in a second, in case a reload turns it on.
  unsigned ms = ctx_.settings().monitor_interval_ms;
  timer_.expires_after(std::chrono::milliseconds(ms == 0 ? 1000 : ms));
  // Weak: a handler still queued when the loop ends must not be what frees the monitor (its
  // timer would then outlive the loop's services).
  timer_.async_wait([weak = weak_from_this()](const net::error_code& ec) {
    auto self = weak.lock();
    if (!ec && self) self->probe();
  });
}

void ShardMonitor::probe() {
  if (stopped_) return;
  if (ctx_.settings().monitor_interval_ms == 0) return arm();
  // Redis 7 takes several sections at once: one round trip per shard.
  static const resp::Request kInfo{"INFO",  "server",      "clients", "memory",  "persistence",
                                   "stats", "replication", "cpu",     "keyspace"};
  const router::RoutingTable& table = ctx_.table();
  for (size_t shard = 0; shard < probing_.size() && shard < table.shard_count(); ++shard) {
    if (probing_[shard]) continue;  // still waiting for the last one (a hung instance)
    probing_[shard] = true;
    probed_address_[shard] = table.address(table.primary(shard)).to_string();
    ctx_.backends().conn(shard).submit(kInfo, shared_from_this(), shard);
  }
  arm();
}

void ShardMonitor::on_reply(uint64_t shard, std::string_view raw) {
  if (shard >= probing_.size()) return;
  probing_[shard] = false;
  thread_local resp::ReplyView view;
  bool parsed = view.parse(raw);
  if (!parsed || !view.root().is(resp::ReplyType::kBulk)) {
    bool err = parsed && view.root().is(resp::ReplyType::kError);
    std::string why = err ? std::string(view.root().str()) : "unexpected reply to INFO";
    record(shard, false, false, std::move(why), {});
    return;
  }
  record(shard, true, false, "", metrics::parse_info(view.root().str()));
}

void ShardMonitor::on_failure(uint64_t shard, const core::errors::Error& error) {
  if (shard >= probing_.size()) return;
  probing_[shard] = false;
  record(shard, false, error.kind == core::errors::Kind::kShardTimeout, error.text, {});
}

void ShardMonitor::record(size_t shard, bool ok, bool timed_out, std::string error,
                          metrics::InstanceInfo info) {
  auto next = std::make_shared<Sample>();
  std::lock_guard lock(mutex_);
  const Sample& s = *samples_[shard];
  if (s.probed && s.ok && !ok) {
    spdlog::warn("monitor: shard {} ({}) stopped answering: {}", shard, probed_address_[shard],
                 error);
    ctx_.state().record_event("shard-down", "shard " + std::to_string(shard) + " up → " +
                                                (timed_out ? "timeout" : "down") + " (" +
                                                probed_address_[shard] + ": " + error + ")");
  } else if (s.probed && !s.ok && ok) {
    spdlog::info("monitor: shard {} ({}) answers again", shard, probed_address_[shard]);
    ctx_.state().record_event("shard-up", "shard " + std::to_string(shard) + " answers again (" +
                                              probed_address_[shard] + ")");
  }
  next->probed = true;
  next->ok = ok;
  next->timed_out = timed_out;
  next->address = probed_address_[shard];
  if (ok) {
    next->last_ok_ms = unix_ms();
    next->info = std::move(info);
  } else {
    next->error = std::move(error);
    next->last_ok_ms = s.last_ok_ms;
    next->info = s.info;  // what it said last (its role, for the labels)
  }
  samples_[shard] = std::move(next);
}

}  // namespace preshard::proxy
