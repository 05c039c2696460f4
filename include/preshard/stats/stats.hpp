#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace preshard::stats {

// Every counter and gauge, declared once: name, help. INFO and (later) Prometheus render this.
#define PRESHARD_COUNTERS(X)                                                            \
  X(total_connections_received, "Client connections accepted")                          \
  X(rejected_connections, "Client connections refused because max_clients was reached") \
  X(total_commands_processed, "Commands received from clients")                         \
  X(protocol_errors, "Clients closed for malformed RESP")                               \
  X(unknown_commands, "Commands refused as unknown or with a wrong argument count")     \
  X(refused_commands, "Commands refused by policy (administrative or unsupported)")     \
  X(crossshard_errors, "Commands refused because their keys span shards")               \
  X(blocking_commands, "Blocking commands sent on a dedicated instance connection")     \
  X(split_commands, "Commands split per shard or sent to every shard, then merged")     \
  X(watch_commands, "WATCH commands, each on a connection pinned for its client")       \
  X(transactions, "MULTI ... EXEC blocks sent to an instance")                          \
  X(transactions_aborted, "EXECs answered nil because a pinned connection was reset")   \
  X(pubsub_messages, "Pub/sub messages delivered to clients")                           \
  X(backend_requests, "Commands sent to instances")                                     \
  X(backend_writes, "Writes of queued commands to instances (each may carry many)")     \
  X(gather_waits, "Turns that waited for answered clients' next commands")              \
  X(gather_wait_us, "Microseconds spent in those waits")                                \
  X(gather_reads, "Client reads that arrived during those waits")                       \
  X(backend_errors, "Commands failed because an instance was unavailable")              \
  X(backend_timeouts, "Commands failed because an instance did not answer in time")     \
  X(backend_connections, "Connections opened to instances")                             \
  X(backend_connect_failures, "Failed attempts to connect to an instance")

#define PRESHARD_GAUGES(X) X(connected_clients, "Client connections currently open")

// Error replies given to clients, counted per kind (core::errors::Kind, which fits in this).
inline constexpr size_t kErrorKindSlots = 32;

struct Snapshot {
#define PRESHARD_FIELD(name, help) uint64_t name = 0;
  PRESHARD_COUNTERS(PRESHARD_FIELD)
  PRESHARD_GAUGES(PRESHARD_FIELD)
#undef PRESHARD_FIELD
  uint64_t errors_by_kind[kErrorKindSlots] = {};
};

// One per worker thread; only its own thread writes it (so no atomic read-modify-write is
// needed), any thread may read it.
class ThreadStats {
 public:
#define PRESHARD_FIELD(name, help) std::atomic<uint64_t> name{0};
  PRESHARD_COUNTERS(PRESHARD_FIELD)
  PRESHARD_GAUGES(PRESHARD_FIELD)
#undef PRESHARD_FIELD
  std::atomic<uint64_t> errors_by_kind[kErrorKindSlots] = {};

  static void add(std::atomic<uint64_t>& c, uint64_t n = 1) {
    c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  static void sub(std::atomic<uint64_t>& c, uint64_t n = 1) {
    c.store(c.load(std::memory_order_relaxed) - n, std::memory_order_relaxed);
  }
};

// Sums all workers' counters.
Snapshot sum(const std::vector<std::unique_ptr<ThreadStats>>& per_thread);

// Names and helps, in declaration order, for renderers.
struct Descriptor {
  const char* name;
  const char* help;
  bool gauge;
  uint64_t Snapshot::*field;
};
const std::vector<Descriptor>& descriptors();

}  // namespace preshard::stats
