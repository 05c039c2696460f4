#pragma once
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "preshard/stats/histogram.hpp"

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
  X(acl_access_denied_auth, "Failed AUTH and HELLO AUTH attempts")                      \
  X(tls_handshake_failures, "Clients closed because their TLS handshake failed")        \
  X(backend_tls_failures, "Instance connections whose TLS handshake failed")            \
  X(acl_access_denied_cmd, "Commands refused: the user may not run them")               \
  X(acl_access_denied_key, "Commands refused: the user may not touch one of the keys")  \
  X(acl_access_denied_channel, "Commands refused: the user may not use a channel")      \
  X(blocking_commands, "Blocking commands sent on a dedicated instance connection")     \
  X(split_commands, "Commands split per shard or sent to every shard, then merged")     \
  X(streamed_replies, "Replies over reply_stream_bytes passed on as they arrived")      \
  X(watch_commands, "WATCH commands, each on a connection pinned for its client")       \
  X(transactions, "MULTI ... EXEC blocks sent to an instance")                          \
  X(transactions_aborted, "EXECs answered nil because a pinned connection was reset")   \
  X(pubsub_messages, "Pub/sub messages delivered to clients")                           \
  X(total_net_input_bytes, "Bytes read from clients")                                   \
  X(total_net_output_bytes, "Bytes written to clients")                                 \
  X(backend_requests, "Commands sent to instances")                                     \
  X(backend_writes, "Writes of queued commands to instances (each may carry many)")     \
  X(gather_waits, "Turns that waited for answered clients' next commands")              \
  X(gather_wait_us, "Microseconds spent in those waits")                                \
  X(gather_reads, "Client reads that arrived during those waits")                       \
  X(backend_errors, "Commands failed because an instance was unavailable")              \
  X(backend_timeouts, "Commands failed because an instance did not answer in time")     \
  X(backend_connections, "Connections opened to instances")                             \
  X(backend_connect_failures, "Failed attempts to connect to an instance")

#define PRESHARD_GAUGES(X)                                                                     \
  X(connected_clients, "Client connections currently open")                                    \
  X(blocked_clients, "Clients waiting for a blocking command's reply")                         \
  X(pubsub_channels, "Channels the proxy subscribes to at the instances (per worker, summed)") \
  X(pubsub_patterns, "Patterns the proxy subscribes to at the instances (per worker, summed)") \
  X(pubsubshard_channels, "Shard channels the proxy subscribes to (per worker, summed)")

// Error replies given to clients, counted per kind (core::errors::Kind, which fits in this).
inline constexpr size_t kErrorKindSlots = 32;

struct Snapshot {
#define PRESHARD_FIELD(name, help) uint64_t name = 0;
  PRESHARD_COUNTERS(PRESHARD_FIELD)
  PRESHARD_GAUGES(PRESHARD_FIELD)
#undef PRESHARD_FIELD
  uint64_t errors_by_kind[kErrorKindSlots] = {};
};

using Counter = std::atomic<uint64_t>;

// One command table row, as the clients saw it (Redis's commandstats): calls answered, their
// time from arrival to reply (µs), those answered with an error, those refused before running.
struct CommandCounters {
  Counter calls{0};
  Counter usec{0};
  Counter failed{0};
  Counter rejected{0};
  RecordingHistogram latency;
};

// One shard, as this worker's instance connections saw it.
struct ShardCounters {
  Counter requests{0};                           // commands sent
  Counter in_flight{0};                          // sent or queued, not answered yet (a gauge)
  Counter timeouts{0};                           // failed for want of an answer in time
  Counter connections{0};                        // connections made (reconnects after the first)
  Counter connect_failures{0};                   // failed attempts
  Counter errors_by_kind[kErrorKindSlots] = {};  // commands failed by the proxy, by kind
  RecordingHistogram rtt;                        // from queued to answered, µs
};

// One per worker thread; only its own thread writes it (so no atomic read-modify-write is
// needed), any thread may read it.
class ThreadStats {
 public:
  // `command_rows`: the command table's row count; `shards`: N (it never changes).
  explicit ThreadStats(size_t command_rows = 0, size_t shards = 0)
      : commands_(command_rows), shards_(shards) {}
  // Null when out of range (a test's harness may count no rows or shards).
  CommandCounters* command(size_t row) {
    return row < commands_.size() ? &commands_[row] : nullptr;
  }
  ShardCounters* shard(size_t i) { return i < shards_.size() ? &shards_[i] : nullptr; }
  const std::vector<CommandCounters>& commands() const { return commands_; }
  const std::vector<ShardCounters>& shards() const { return shards_; }
  // Error replies by their code (the first word: ERR, WRONGTYPE, CROSSSHARD; Redis's
  // errorstats). At most kMaxErrorCodes codes are kept, as Redis does; a lock only on this path.
  static constexpr size_t kMaxErrorCodes = 128;
  void count_error_code(std::string_view reply);
  std::map<std::string, uint64_t> error_codes() const;
  // CONFIG RESETSTAT, on the owning thread: the counters, commandstats, errorstats and latency
  // histograms start again from zero (gauges and the per-shard figures are kept).
  void reset_counters();

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

 private:
  std::vector<CommandCounters> commands_;
  std::vector<ShardCounters> shards_;
  mutable std::mutex error_codes_mutex_;
  std::map<std::string, uint64_t, std::less<>> error_codes_;
};

// Sums all workers' counters.
Snapshot sum(const std::vector<std::unique_ptr<ThreadStats>>& per_thread);

// The per-command and per-shard counters of all workers, summed (plain values).
struct CommandTotals {
  uint64_t calls = 0, usec = 0, failed = 0, rejected = 0;
  Histogram latency;
};
struct ShardTotals {
  uint64_t requests = 0, in_flight = 0, timeouts = 0, connections = 0, connect_failures = 0;
  uint64_t errors_by_kind[kErrorKindSlots] = {};
  Histogram rtt;
};
std::vector<CommandTotals> command_totals(
    const std::vector<std::unique_ptr<ThreadStats>>& per_thread);
std::vector<ShardTotals> shard_totals(const std::vector<std::unique_ptr<ThreadStats>>& per_thread);
std::map<std::string, uint64_t> error_code_totals(
    const std::vector<std::unique_ptr<ThreadStats>>& per_thread);

// Names and helps, in declaration order, for renderers.
struct Descriptor {
  const char* name;
  const char* help;
  bool gauge;
  uint64_t Snapshot::*field;
};
const std::vector<Descriptor>& descriptors();

}  // namespace preshard::stats
