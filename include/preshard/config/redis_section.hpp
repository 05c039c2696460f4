#pragma once
// The optional `redis:` section of preshard.yaml: how preshardctl runs the instances it manages
// (`preshardctl instances`). The proxy itself never reads it.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace preshard::config {

struct RedisSection {
  // Data root: instance HOST:PORT keeps its redis.conf, data, pidfile and log in <dir>/<PORT>/.
  // A relative path is taken from the config file's directory.
  std::string dir = "var/instances";
  // redis.conf directives, written in this order after the ones preshardctl owns (port, bind,
  // dir, pidfile, logfile, daemonize). The defaults come first; a key in the file replaces the
  // default of that key. A list value gives one line per element (save, rename-command...).
  std::vector<std::pair<std::string, std::string>> directives = defaults();

  // The defaults for many small instances (README, "The redis: section"): AOF, fsync every
  // second, no RDB snapshots (backups come over the network, preshardctl backup).
  static std::vector<std::pair<std::string, std::string>> defaults();
  // The last value of a directive; "" when unset.
  std::string get(std::string_view key) const;
  // requirepass as the tools send it with AUTH ("" when unset or empty).
  std::string password() const;
  // True when the instances keep their data on disk (AOF on, or RDB save points).
  bool persistent() const;
};

// Directives preshardctl writes itself (or that other commands own): refused as keys.
bool reserved_redis_directive(std::string_view key);

}  // namespace preshard::config
