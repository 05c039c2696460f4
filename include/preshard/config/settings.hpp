#pragma once
// Every setting of preshard.yaml except `instances`, declared once. The parser, the runtime
// snapshot the workers read, the reload rules, `preshard --settings` and the README check are
// all derived from this table: adding a setting is one line here (and its use).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "preshard/config/endpoint.hpp"

namespace preshard::config {

// What a reload does with a changed value.
enum class Reload : uint8_t {
  kLive,     // takes effect at once, for open connections too
  kRestart,  // kept until restart; the reload warns
  kFixed,    // may never change while running: the reload is refused
};

constexpr long long kU32Max = 4294967295ll;
constexpr long long kBig = 1ll << 40;

// X(type, name, default, min, max, reload, choices, help). min/max bound integers; choices
// ("a b c") bound strings, "" = any.
#define PRESHARD_SETTINGS(X)                                                                    \
  X(Endpoint, listen, (Endpoint{"127.0.0.1", 6380}), 0, 0, kRestart, "",                        \
    "address clients connect to (port 0: TLS only, on tls_port)")                               \
  X(unsigned, threads, 1, 0, 256, kRestart, "", "worker threads; 0 = one per core")             \
  X(unsigned, tls_port, 0, 0, 65535, kRestart, "",                                              \
    "a TLS port on listen's host as well (0 = none); clients speak TLS there")                  \
  X(std::string, tls_cert_file, "", 0, 0, kLive, "",                                            \
    "the proxy's certificate chain (PEM); re-read by every reload")                             \
  X(std::string, tls_key_file, "", 0, 0, kLive, "", "its private key (PEM)")                    \
  X(std::string, tls_key_file_pass, "", 0, 0, kLive, "", "the key's passphrase, if any")        \
  X(std::string, tls_ca_cert_file, "", 0, 0, kLive, "",                                         \
    "CA certificates that client certificates must chain to (PEM)")                             \
  X(std::string, tls_ca_cert_dir, "", 0, 0, kLive, "", "or a directory of them (c_rehash)")     \
  X(std::string, tls_auth_clients, "yes", 0, 0, kLive, "yes no optional",                       \
    "client certificates: required, not asked for, or checked when given (Redis's names)")      \
  X(std::string, tls_protocols, "", 0, 0, kLive, "",                                            \
    "\"TLSv1.2 TLSv1.3\" (a list of those); \"\" = both")                                       \
  X(std::string, tls_ciphers, "", 0, 0, kLive, "", "TLS 1.2 cipher list (OpenSSL's syntax)")    \
  X(std::string, tls_ciphersuites, "", 0, 0, kLive, "", "TLS 1.3 cipher suites (OpenSSL's)")    \
  X(std::string, tls_auth_clients_user, "off", 0, 0, kLive, "off CN",                           \
    "CN: a client certificate's common name, if a user of that name is on, authenticates it")   \
  X(unsigned, tls_handshake_timeout_ms, 5000, 1, kU32Max, kLive, "",                            \
    "a client that has not finished its TLS handshake by then is closed")                       \
  X(std::string, tls_backends, "no", 0, 0, kLive, "yes no",                                     \
    "connect to the instances with TLS (an instances entry's tls: overrides)")                  \
  X(std::string, tls_backends_ca_cert_file, "", 0, 0, kLive, "",                                \
    "CA certificates the instances' certificates must chain to (default: tls_ca_cert_file)")    \
  X(std::string, tls_backends_ca_cert_dir, "", 0, 0, kLive, "",                                 \
    "or a directory of them (default: tls_ca_cert_dir; none set: the system's CAs)")            \
  X(std::string, tls_backends_check_hostname, "yes", 0, 0, kLive, "yes no",                     \
    "an instance's certificate must name its host (or its entry's tls_server_name)")            \
  X(std::string, tls_client_cert_file, "", 0, 0, kLive, "",                                     \
    "the certificate shown to instances (default: tls_cert_file, as Redis)")                    \
  X(std::string, tls_client_key_file, "", 0, 0, kLive, "", "its private key (PEM)")             \
  X(std::string, tls_client_key_file_pass, "", 0, 0, kLive, "", "the key's passphrase, if any") \
  X(std::string, hash, "sha1", 0, 0, kFixed, "sha1", "the shard hash")                          \
  X(std::string, hash_tag, "{}", 0, 0, kFixed, "",                                              \
    "two characters (open, close), or \"\" for no hash tags")                                   \
  X(unsigned, timeout_ms, 1000, 1, kU32Max, kLive, "",                                          \
    "an instance reply slower than this fails the command and resets that connection")          \
  X(unsigned, connect_timeout_ms, 1000, 1, kU32Max, kLive, "",                                  \
    "limit on connecting to an instance")                                                       \
  X(unsigned, databases, 16, 1, 1000000, kLive, "",                                             \
    "SELECT accepts 0 .. databases-1 (each instance needs as many)")                            \
  X(uint64_t, script_cache_max_bytes, 64ull << 20, 1024, kBig, kLive, "",                       \
    "script bodies kept so EVALSHA works on every shard (least recently used go first)")        \
  X(unsigned, dns_ttl_ms, 30000, 0, kU32Max, kLive, "",                                         \
    "instance host names: how long a lookup's answer is used before it is refreshed")           \
  X(unsigned, retry_min_ms, 100, 0, kU32Max, kLive, "",                                         \
    "backoff after a failed connect, doubling...")                                              \
  X(unsigned, retry_max_ms, 2000, 0, kU32Max, kLive, "", "...up to this")                       \
  X(std::string, log_level, "info", 0, 0, kLive, "trace debug info warn error critical off",    \
    "log verbosity")                                                                            \
  X(unsigned, max_clients, 10000, 1, 1000000, kLive, "", "client connections at once")          \
  X(uint64_t, max_bulk_len, 512ull << 20, 1, kBig, kLive, "",                                   \
    "largest argument (Redis's proto-max-bulk-len)")                                            \
  X(uint64_t, max_request_bytes, 1ull << 30, 1024, kBig, kLive, "",                             \
    "largest command (Redis's client-query-buffer-limit)")                                      \
  X(unsigned, client_max_pending, 10000, 1, 10000000, kLive, "",                                \
    "commands in flight per client before reading pauses")                                      \
  X(uint64_t, client_max_output_bytes, 256ull << 20, 1024, kBig, kLive, "",                     \
    "replies queued per client before reading pauses")                                          \
  X(uint64_t, shard_max_queue_bytes, 64ull << 20, 1024, kBig, kLive, "",                        \
    "bytes queued towards one instance (unsent, or held by a pause) per worker; beyond: "       \
    "ERR shard N is overloaded")                                                                \
  X(uint64_t, client_output_hard_limit_bytes, 1ull << 30, 1024, kBig, kLive, "",                \
    "replies held for a client that does not read them; beyond: the client is closed")          \
  X(uint64_t, reply_stream_bytes, 1ull << 20, 1024, kBig, kLive, "",                            \
    "a reply larger than this goes to its client as it arrives instead of being gathered")      \
  X(std::string, config_commands, "refused", 0, 0, kLive, "refused all_shards",                 \
    "CONFIG SET/REWRITE/RESETSTAT: refused, or run on every instance (subject to ACL)")         \
  X(std::string, multi_queue_check, "instance", 0, 0, kLive, "instance proxy",                  \
    "a command queued in MULTI: QUEUED or the instance's error at that moment, or QUEUED from " \
    "the proxy (no round trip; the instance's refusal then shows only as EXECABORT)")           \
  X(unsigned, shutdown_timeout_ms, 5000, 0, kU32Max, kLive, "",                                 \
    "how long SIGTERM waits for commands in flight")                                            \
  X(unsigned, blocking_connections_per_shard, 64, 1, 100000, kLive, "",                         \
    "dedicated connections (blocking commands, WATCH) per shard and worker")                    \
  X(std::string, admin_password, "", 0, 0, kLive, "",                                           \
    "deprecated (use users): a user admin with this password, the only one with @proxyadmin")   \
  X(std::string, requirepass, "", 0, 0, kLive, "",                                              \
    "the default user's password (Redis's requirepass)")                                        \
  X(StringList, users, (StringList{}), 0, 0, kLive, "",                                         \
    "ACL users, one Redis aclfile line each: user NAME rules...")                               \
  X(std::string, aclfile, "", 0, 0, kLive, "", "or a file of such lines (not both)")            \
  X(std::string, protected_mode, "yes", 0, 0, kRestart, "yes no",                               \
    "refuse to listen beyond loopback while the default user needs no password")                \
  X(std::string, admin_listen, "", 0, 0, kRestart, "",                                          \
    "host:port of the HTTP admin endpoint (/metrics, /status, /sd, the dashboard); \"\" = off") \
  X(unsigned, monitor_interval_ms, 1000, 0, 3600000, kLive, "",                                 \
    "how often each instance is asked for its INFO (health, memory, keys, role); 0 = never")    \
  X(std::string, role_check, "yes", 0, 0, kLive, "yes no",                                      \
    "every instance connection asks ROLE first and refuses an instance that is not a master")   \
  X(std::string, backend_user, "", 0, 0, kLive, "",                                             \
    "the ACL user the proxy AUTHs as on every instance (\"\": AUTH with the password alone)")   \
  X(std::string, backend_password, "", 0, 0, kLive, "",                                         \
    "its password (\"${NAME}\": the environment variable NAME); new connections use it")        \
  X(std::string, backend_password_file, "", 0, 0, kLive, "",                                    \
    "or a file whose first line is that password")                                              \
  X(std::string, read_from, "master", 0, 0, kLive, "master replica prefer_replica",             \
    "where read-only commands go: the master, a replica only, or a replica when one is up")     \
  X(EndpointList, sentinels, (EndpointList{}), 0, 0, kRestart, "",                              \
    "Redis Sentinels watching the instances: the proxy follows their failovers")                \
  X(std::string, sentinel_name, "preshard-{shard}", 0, 0, kRestart, "",                         \
    "shard i's master name in Sentinel; {shard} = i zero-padded to the width of N-1")           \
  X(std::string, sentinel_password, "", 0, 0, kRestart, "",                                     \
    "the Sentinels' own password (their requirepass), if they have one")                        \
  X(unsigned, sentinel_poll_ms, 5000, 100, kU32Max, kLive, "",                                  \
    "besides following +switch-master, every Sentinel is asked for every master this often")    \
  X(std::string, latency_tracking, "yes", 0, 0, kLive, "yes no",                                \
    "per-command and per-shard latency histograms (Redis's latency-tracking)")                  \
  X(long long, slowlog_log_slower_than, 10000, -1, kBig, kLive, "",                             \
    "SLOWLOG keeps commands slower than this (us, end to end); 0 = all, -1 = none")             \
  X(unsigned, slowlog_max_len, 128, 0, 1000000, kLive, "",                                      \
    "SLOWLOG entries kept per worker thread")                                                   \
  X(unsigned, pause_timeout_ms, 10000, 1, kU32Max, kLive, "",                                   \
    "a PROXY PAUSE without TIMEOUT resumes by itself after this")                               \
  X(unsigned, batch_yields, 4, 0, 64, kLive, "",                                                \
    "CPU yields per loop turn to batch writes (core/yield_policy.hpp)")                         \
  X(unsigned, gather_max_us, 100, 0, 10000, kLive, "",                                          \
    "wait for answered clients' next commands (core/gather_policy.hpp); 0 = never")             \
  X(unsigned, gather_gap_us, 20, 1, 10000, kLive, "",                                           \
    "such a wait also ends when no client read arrived for this long")

// The values of every setting. Immutable once built: a reload makes a new one.
struct Settings {
#define PRESHARD_SETTING_FIELD(type, name, def, min, max, reload, choices, help) type name = def;
  PRESHARD_SETTINGS(PRESHARD_SETTING_FIELD)
#undef PRESHARD_SETTING_FIELD
};

// One row of the table, for renderers and checks.
struct SettingInfo {
  std::string_view name;
  std::string_view type;  // "integer", "string" or "address"
  long long min, max;
  Reload reload;
  std::string_view choices;
  std::string_view help;
  std::string default_text;  // the default as it would be written in the file
};
const std::vector<SettingInfo>& setting_infos();

// A setting's value as text ("" for an absent one); `name` must be a setting.
std::string setting_text(const Settings& s, std::string_view name);

}  // namespace preshard::config
