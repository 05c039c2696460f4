#include "preshard/proxy/info.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <cctype>
#include <functional>
#include <random>
#include <set>

#include "preshard/backend/backend_pool.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/proxy/context.hpp"
#include "preshard/proxy/ops.hpp"
#include "preshard/proxy/shard_monitor.hpp"
#include "preshard/proxy/split_request.hpp"
#include "preshard/resp/encode.hpp"
#include "preshard/resp/reply_view.hpp"
#include "preshard/resp/reply_writer.hpp"
#include "preshard/resp/string2ll.hpp"

namespace preshard::proxy {

static_assert(core::errors::kKindCount <= stats::kErrorKindSlots);

namespace {

using Section = std::function<void(Context&, std::string&)>;

void line(std::string& out, const char* key, const std::string& value) {
  out += key;
  out += ':';
  out += value;
  out += "\r\n";
}

void server_section(Context& w, std::string& out) {
  ServerState& s = w.state();
  auto up = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - s.started).count();
  out += "# Server\r\n";
  // The lowest the instances run: what a client may rely on (7.0.0 until one has answered).
  std::string version = lowest_instance_version(w);
  line(out, "redis_version", version.empty() ? "7.0.0" : version);
  line(out, "redis_git_sha1", "00000000");  // Redis's fields, which tools read (printver)
  line(out, "redis_git_dirty", "0");
  line(out, "preshard_version", PRESHARD_VERSION);
  line(out, "redis_mode", "standalone");
  static const std::string os = [] {
    utsname u{};
    return uname(&u) == 0 ? std::string(u.sysname) + " " + u.release + " " + u.machine : "";
  }();
  line(out, "os", os);
  line(out, "arch_bits", std::to_string(sizeof(void*) * 8));
  line(out, "multiplexing_api", "epoll");
  line(out, "process_id", std::to_string(getpid()));
  static const std::string run_id = [] {  // 40 hex characters, new with every start (Redis's)
    std::random_device rd;
    std::string id;
    for (int i = 0; i < 40; ++i) id += "0123456789abcdef"[rd() % 16];
    return id;
  }();
  line(out, "run_id", run_id);
  line(out, "tcp_port", std::to_string(s.listen_port));
  line(out, "server_time_usec",
       std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count()));
  line(out, "uptime_in_seconds", std::to_string(up));
  line(out, "uptime_in_days", std::to_string(up / 86400));
  line(out, "config_file", s.config_file);
  line(out, "io_threads_active", std::to_string(s.threads));
}

void proxy_section(Context& w, std::string& out) {
  ServerState& s = w.state();
  out += "# Proxy\r\n";
  line(out, "config_file", s.config_file);
  line(out, "config_generation", std::to_string(s.config_generation.load()));
  line(out, "last_reload_ok", s.last_reload_ok ? "1" : "0");
  line(out, "last_reload_time", std::to_string(s.last_reload_time.load()));
  line(out, "reloads", std::to_string(s.reloads.load()));
  line(out, "reload_failures", std::to_string(s.reload_failures.load()));
  line(out, "last_reload_error", s.last_reload_error());
  std::string paused;
  for (size_t i = 0; i < w.table().shard_count(); ++i) {
    if (w.backends().paused(i)) paused += (paused.empty() ? "" : ",") + std::to_string(i);
  }
  line(out, "paused_shards", paused);
  line(out, "instances", std::to_string(w.table().shard_count()));
  line(out, "hash", s.hash);
  line(out, "hash_tag", s.hash_tag);
  line(out, "threads", std::to_string(s.threads));
  line(out, "role_check", w.settings().role_check);
  line(out, "sentinels", std::to_string(s.sentinels.load()));
  line(out, "sentinels_connected", std::to_string(s.sentinels_up.load()));
  line(out, "masters_from", s.masters_from.load());
  line(out, "failovers", std::to_string(s.failovers.load()));
}

// The largest "lag=" of the master's slaveN lines (INFO replication), or "" if it has none.
std::string replica_lag(const metrics::InstanceInfo& info) {
  std::string lag;
  long long most = -1;
  for (int n = 0; n < 16; ++n) {
    std::string_view v = info.get("slave" + std::to_string(n));
    if (v.empty()) break;
    size_t at = v.find("lag=");
    long long l = 0;
    if (at == std::string_view::npos) continue;
    std::string_view num = v.substr(at + 4, v.find(',', at) - at - 4);
    if (resp::string2ll(num, l) && l > most) most = l;
  }
  return most < 0 ? "" : std::to_string(most);
}

// Every shard's master as routed now, how it was learned, how often Sentinel moved it, and its
// replicas' lag as it last reported it (the shard monitor's INFO).
void failover_section(Context& w, std::string& out) {
  out += "# Failover\r\n";
  auto masters = w.state().masters();
  ShardMonitor::Samples samples;
  if (w.monitor() != nullptr) samples = w.monitor()->samples();
  for (size_t i = 0; i < masters.size(); ++i) {
    const auto& m = masters[i];
    std::string key = "shard" + std::to_string(i);
    std::string lag = i < samples.size() ? replica_lag(samples[i]->info) : "";
    line(out, key.c_str(),
         "master=" + m.address + ",learned=" + m.learned +
             ",failovers=" + std::to_string(m.failovers) +
             ",replicas=" + std::to_string(w.table().replicas(i).size()) +
             (lag.empty() ? "" : ",replica_lag=" + lag));
  }
}

void clients_section(Context& w, std::string& out) {
  stats::Snapshot snap = stats::sum(w.state().thread_stats);
  out += "# Clients\r\n";
  line(out, "connected_clients", std::to_string(snap.connected_clients));
  line(out, "blocked_clients", std::to_string(snap.blocked_clients));
  line(out, "maxclients", std::to_string(w.settings().max_clients));
  line(out, "cluster_connections", "0");  // no cluster bus
  line(out, "tracking_clients", "0");     // CLIENT TRACKING is refused
}

// The proxy is one standalone Redis to its clients.
void cluster_section(Context&, std::string& out) {
  out += "# Cluster\r\n";
  line(out, "cluster_enabled", "0");
}

void stats_section(Context& w, std::string& out) {
  stats::Snapshot snap = stats::sum(w.state().thread_stats);
  out += "# Stats\r\n";
  line(out, "instantaneous_ops_per_sec", std::to_string(w.state().ops_per_sec.load()));
  line(out, "pubsub_channels", std::to_string(snap.pubsub_channels));
  line(out, "pubsub_patterns", std::to_string(snap.pubsub_patterns));
  line(out, "pubsubshard_channels", std::to_string(snap.pubsubshard_channels));
  for (const stats::Descriptor& d : stats::descriptors()) {
    if (!d.gauge) line(out, d.name, std::to_string(snap.*d.field));
  }
  // Error replies by kind (core/errors.hpp).
  for (size_t k = 0; k < core::errors::kKindCount; ++k) {
    std::string key = "errors_";
    key += core::errors::kind_name(static_cast<core::errors::Kind>(k));
    line(out, key.c_str(), std::to_string(snap.errors_by_kind[k]));
  }
  instance_stats_lines(w, out);
}

struct SectionRow {
  std::string name;
  Section render;
  bool in_default;  // INFO alone (or "default") shows it; "all" and "everything" show all
};

const std::vector<SectionRow>& sections() {
  static const std::vector<SectionRow> all = {
      {"server", server_section, true},
      {"proxy", proxy_section, true},
      {"clients", clients_section, true},
      {"memory", memory_section, true},
      {"persistence", persistence_section, true},
      {"stats", stats_section, true},
      {"replication", replication_section, true},
      {"cpu", cpu_section, true},
      {"commandstats", commandstats_section, false},
      {"errorstats", errorstats_section, true},
      {"latencystats", latencystats_section, false},
      {"cluster", cluster_section, true},
      {"failover", failover_section, false},
  };
  return all;
}

struct Wanted {
  std::set<std::string> names;
  bool all = false;
  bool defaults = false;
  bool has(const std::string& name, bool in_default = true) const {
    return all || (defaults && in_default) || names.count(name) > 0;
  }
};

Wanted wanted_sections(const resp::Request& req) {
  Wanted w;
  w.defaults = req.size() == 1;
  for (size_t i = 1; i < req.size(); ++i) {
    std::string name(req[i]);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "all" || name == "everything") w.all = true;
    if (name == "default") w.defaults = true;
    w.names.insert(name);
  }
  return w;
}

}  // namespace

bool info_wants_keyspace(const resp::Request& req) {
  return wanted_sections(req).has("keyspace");
}

bool info_wants_instances(Context& worker, const resp::Request& req) {
  Wanted w = wanted_sections(req);
  for (const char* s : {"keyspace", "memory", "persistence", "stats", "replication"}) {
    if (w.has(s)) return true;
  }
  return w.has("server", true) && lowest_instance_version(worker).empty();
}

std::string render_info(Context& worker, const resp::Request& req) {
  Wanted wanted = wanted_sections(req);
  std::string out;
  for (const SectionRow& s : sections()) {
    if (!wanted.has(s.name, s.in_default)) continue;
    if (!out.empty()) out += "\r\n";
    s.render(worker, out);
  }
  return out;
}

}  // namespace preshard::proxy

namespace preshard::proxy::ops {

void proxy_info(Call& c) {
  long long n = -1;
  size_t shards = c.ctx.table().shard_count();
  if (!resp::string2ll(c.req[2], n) || n < 0 || static_cast<size_t>(n) >= shards) {
    return c.client.error_now(core::errors::shard_out_of_range(c.req[2], shards));
  }
  resp::Request info{"INFO"};
  for (size_t i = 3; i < c.req.size(); ++i) info.add(c.req[i]);
  uint64_t slot = c.client.reserve();
  backend_for(c.ctx, c.st, static_cast<size_t>(n)).submit(info, c.client.shared(), slot);
}

void info(Call& c) {
  if (info_wants_instances(c.ctx, c.req)) return info_live(c);
  std::string out;
  resp::ReplyWriter(out, c.st.protocol).verbatim(render_info(c.ctx, c.req));
  c.client.reply_now(out);
}

}  // namespace preshard::proxy::ops
