#include "preshard/io/info.hpp"

#include <unistd.h>

#include <cctype>
#include <functional>
#include <set>

#include "preshard/io/worker.hpp"

namespace preshard::io {

namespace {

using Section = std::function<void(Worker&, std::string&)>;

void line(std::string& out, const char* key, const std::string& value) {
  out += key;
  out += ':';
  out += value;
  out += "\r\n";
}

void server_section(Worker& w, std::string& out) {
  ServerState& s = w.state();
  auto up = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - s.started).count();
  out += "# Server\r\n";
  line(out, "redis_version", "7.0.0");
  line(out, "preshard_version", PRESHARD_VERSION);
  line(out, "redis_mode", "standalone");
  line(out, "process_id", std::to_string(getpid()));
  line(out, "tcp_port", std::to_string(s.listen_port));
  line(out, "uptime_in_seconds", std::to_string(up));
  line(out, "uptime_in_days", std::to_string(up / 86400));
  line(out, "io_threads_active", std::to_string(s.threads));
}

void proxy_section(Worker& w, std::string& out) {
  ServerState& s = w.state();
  out += "# Proxy\r\n";
  line(out, "config_file", s.config_file);
  line(out, "config_generation", std::to_string(s.config_generation.load()));
  line(out, "instances", std::to_string(w.table().shard_count()));
  line(out, "hash", s.hash);
  line(out, "hash_tag", s.hash_tag);
  line(out, "threads", std::to_string(s.threads));
}

void clients_section(Worker& w, std::string& out) {
  stats::Snapshot snap = stats::sum(w.state().thread_stats);
  out += "# Clients\r\n";
  line(out, "connected_clients", std::to_string(snap.connected_clients));
  line(out, "maxclients", std::to_string(w.settings().max_clients));
}

void stats_section(Worker& w, std::string& out) {
  stats::Snapshot snap = stats::sum(w.state().thread_stats);
  out += "# Stats\r\n";
  line(out, "instantaneous_ops_per_sec", std::to_string(w.state().ops_per_sec.load()));
  for (const stats::Descriptor& d : stats::descriptors()) {
    if (!d.gauge) line(out, d.name, std::to_string(snap.*d.field));
  }
}

const std::vector<std::pair<std::string, Section>>& sections() {
  static const std::vector<std::pair<std::string, Section>> all = {
      {"server", server_section},
      {"proxy", proxy_section},
      {"clients", clients_section},
      {"stats", stats_section},
  };
  return all;
}

}  // namespace

std::string render_info(Worker& worker, const resp::Request& req) {
  std::set<std::string> wanted;
  bool everything = req.size() == 1;
  for (size_t i = 1; i < req.size(); ++i) {
    std::string name(req[i]);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "all" || name == "everything" || name == "default") everything = true;
    wanted.insert(name);
  }
  std::string out;
  for (const auto& [name, render] : sections()) {
    if (!everything && wanted.count(name) == 0) continue;
    if (!out.empty()) out += "\r\n";
    render(worker, out);
  }
  return out;
}

}  // namespace preshard::io
