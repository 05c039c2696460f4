#pragma once
#include <cstdint>
#include <string>

#include "preshard/config/config.hpp"
#include "preshard/resp/request_reader.hpp"

namespace preshard::io {

// The settings workers read on every request, copied from the config. Immutable once built.
struct Settings {
  unsigned timeout_ms = 1000;
  unsigned connect_timeout_ms = 1000;
  unsigned retry_min_ms = 100;
  unsigned retry_max_ms = 2000;
  unsigned max_clients = 10000;
  unsigned client_max_pending = 10000;
  uint64_t client_max_output_bytes = 256ull << 20;
  unsigned shutdown_timeout_ms = 5000;
  unsigned blocking_connections_per_shard = 64;
  std::string admin_password;
  unsigned pause_timeout_ms = 10000;
  unsigned batch_yields = 4;
  unsigned gather_max_us = 100;
  unsigned gather_gap_us = 20;
  resp::ReaderLimits reader;

  static Settings from(const config::Config& c) {
    Settings s;
    s.timeout_ms = c.timeout_ms;
    s.connect_timeout_ms = c.connect_timeout_ms;
    s.retry_min_ms = c.retry_min_ms;
    s.retry_max_ms = c.retry_max_ms;
    s.max_clients = c.max_clients;
    s.client_max_pending = c.client_max_pending;
    s.client_max_output_bytes = c.client_max_output_bytes;
    s.shutdown_timeout_ms = c.shutdown_timeout_ms;
    s.blocking_connections_per_shard = c.blocking_connections_per_shard;
    s.admin_password = c.admin_password;
    s.pause_timeout_ms = c.pause_timeout_ms;
    s.batch_yields = c.batch_yields;
    s.gather_max_us = c.gather_max_us;
    s.gather_gap_us = c.gather_gap_us;
    s.reader.max_bulk_len = c.max_bulk_len;
    s.reader.max_request_bytes = c.max_request_bytes;
    return s;
  }
};

}  // namespace preshard::io
