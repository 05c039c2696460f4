#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "preshard/config/endpoint.hpp"

namespace preshard::config {

// Everything preshard.yaml can say. Defaults are the documented ones (README, "Configuration").
struct Config {
  std::string source;  // the file it was read from
  Endpoint listen{"127.0.0.1", 6380};
  unsigned threads = 1;  // worker threads; 0 = one per core
  std::string hash = "sha1";
  std::string hash_tag = "{}";  // two characters, or empty for no hash tags
  unsigned timeout_ms = 1000;   // a backend reply slower than this fails the request
  unsigned connect_timeout_ms = 1000;
  unsigned retry_min_ms = 100;   // backoff before reconnecting to a failed instance...
  unsigned retry_max_ms = 2000;  // ...doubling up to this
  std::string log_level = "info";
  unsigned max_clients = 10000;
  uint64_t max_bulk_len = 512ull * 1024 * 1024;        // like Redis proto-max-bulk-len
  uint64_t max_request_bytes = 1024ull * 1024 * 1024;  // like Redis client-query-buffer-limit
  unsigned client_max_pending = 10000;  // commands in flight per client before reading pauses
  uint64_t client_max_output_bytes = 256ull * 1024 * 1024;  // replies queued before reading pauses
  unsigned shutdown_timeout_ms = 5000;           // how long SIGTERM waits for in-flight commands
  unsigned blocking_connections_per_shard = 64;  // per worker: BLPOP & co. in flight per shard
  std::string admin_password;         // when set, PROXY RELOAD/PAUSE/RESUME need AUTH admin <it>
  unsigned pause_timeout_ms = 10000;  // PROXY PAUSE without TIMEOUT resumes by itself after this
  unsigned batch_yields = 4;  // CPU yields per loop turn to batch writes (core/yield_policy.hpp)
  unsigned gather_max_us =
      100;  // wait for answered clients' next commands (core/gather_policy.hpp)
  unsigned gather_gap_us = 20;
  std::vector<Endpoint> instances;  // entry i serves shard i
};

// What a reload may not change, for a new file that is valid on its own: `errors` (the reload
// is refused) and `warnings` (the running value is kept).
struct ReloadCheck {
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
};
ReloadCheck check_reload(const Config& running, const Config& next);

struct ConfigError {
  std::string file;
  int line = 0;  // 1-based; 0 when the error is not tied to a line
  std::string key;
  std::string message;
  std::string to_string() const;  // "file:line: key: message"
};

struct LoadResult {
  std::optional<Config> config;     // set only when errors is empty
  std::vector<ConfigError> errors;  // every problem found, in file order
};

LoadResult parse_config(const std::string& yaml_text, const std::string& file_name);
LoadResult load_config_file(const std::string& path);

}  // namespace preshard::config
