#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "preshard/config/endpoint.hpp"
#include "preshard/config/redis_section.hpp"
#include "preshard/config/settings.hpp"

namespace preshard::config {

// How the proxy authenticates to one shard's instances (its entry's user/password/
// password_file; empty: the backend_* settings). Secrets are resolved when the file is read.
struct Credentials {
  std::string user;
  std::string password;
  std::string password_file;
  bool set() const { return !user.empty() || !password.empty() || !password_file.empty(); }
};

// An entry's own TLS towards its instances: `tls:` (unset: the tls_backends setting) and the
// name their certificates must carry (`tls_server_name:`; "": each address's host).
struct EntryTls {
  std::optional<bool> on;
  std::string server_name;
};

// Everything preshard.yaml can say: the settings (config/settings.hpp) and the instance map.
struct Config : Settings {
  std::string source;               // the file it was read from
  std::vector<Endpoint> instances;  // entry i serves shard i: its master
  // replicas[i]: shard i's replicas ({master: ..., replicas: [...]} entries); same size as
  // `instances`, empty for a plain host:port entry.
  std::vector<EndpointList> replicas;
  std::vector<Credentials> credentials;  // per shard, same size as `instances`
  std::vector<EntryTls> entry_tls;       // per shard, same size as `instances`
  // Whether shard i's instances are reached over TLS, and whether any is.
  bool backend_tls(size_t shard) const;
  bool any_backend_tls() const;
  // What shard i's instances are AUTHed with: its entry's, else the backend_* settings, else
  // the `redis:` section's requirepass.
  Credentials backend_credentials(size_t shard) const;
  RedisSection redis;  // how preshardctl runs the instances (not read by the proxy)
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
