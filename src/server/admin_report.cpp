#include "preshard/server/admin_report.hpp"

#include <dirent.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "preshard/command/command_table.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/server/dashboard.hpp"

namespace preshard::server {

namespace {

metrics::ProcessReport process_report(const net::ServerState& state) {
  metrics::ProcessReport p;
  std::ifstream stat("/proc/self/stat");
  std::string line;
  std::getline(stat, line);
  // Fields after the command name's closing parenthesis: utime is the 14th, stime the 15th,
  // starttime the 22nd, rss the 24th (in pages).
  size_t close = line.rfind(')');
  if (close != std::string::npos) {
    std::istringstream in(line.substr(close + 2));
    std::vector<std::string> f{std::istream_iterator<std::string>(in), {}};
    double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
    if (f.size() > 21) {
      p.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / tick;
      p.rss_bytes = std::stoull(f[21]) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    }
  }
  if (DIR* d = opendir("/proc/self/fd")) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') ++p.open_fds;
    }
    closedir(d);
    if (p.open_fds > 0) --p.open_fds;  // the directory stream itself
  }
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0) p.max_fds = lim.rlim_cur;
  auto up = std::chrono::steady_clock::now() - state.started;
  auto now = std::chrono::system_clock::now().time_since_epoch();
  p.start_time_seconds = std::chrono::duration<double>(now - up).count();
  return p;
}

// "Basic base64(admin:password)", compared in constant time.
bool authorized(const std::string& header, const std::string& password) {
  std::string expected_plain = "admin:" + password;
  std::string expected(4 * ((expected_plain.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(expected.data()),
                          reinterpret_cast<const unsigned char*>(expected_plain.data()),
                          static_cast<int>(expected_plain.size()));
  expected.resize(static_cast<size_t>(n));
  expected = "Basic " + expected;
  return header.size() == expected.size() &&
         CRYPTO_memcmp(header.data(), expected.data(), expected.size()) == 0;
}

}  // namespace

metrics::Report build_report(const net::ServerState& state, const router::RoutingTable& table,
                             const proxy::ShardMonitor::Samples& samples) {
  metrics::Report r;
  r.version = PRESHARD_VERSION;
  r.uptime_seconds = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                               std::chrono::steady_clock::now() - state.started)
                                               .count());
  r.config_generation = state.config_generation.load();
  r.reloads = state.reloads.load();
  r.reload_failures = state.reload_failures.load();
  r.ops_per_sec = state.ops_per_sec.load();
  r.global = stats::sum(state.thread_stats);
  const command::CommandTable& rows = command::CommandTable::get();
  auto commands = stats::command_totals(state.thread_stats);
  for (size_t i = 0; i < commands.size(); ++i) {
    if (commands[i].calls == 0 && commands[i].rejected == 0) continue;
    r.commands.push_back({rows.row(static_cast<uint16_t>(i)).name, std::move(commands[i])});
  }
  for (auto& [code, n] : stats::error_code_totals(state.thread_stats)) {
    r.error_codes.emplace_back(code, n);
  }
  for (size_t k = 0; k < core::errors::kKindCount; ++k) {
    r.error_kinds.push_back(core::errors::kind_name(static_cast<core::errors::Kind>(k)));
  }
  auto shards = stats::shard_totals(state.thread_stats);
  auto masters = state.masters();
  r.sentinels = state.sentinels;
  r.sentinels_up = state.sentinels_up;
  for (size_t i = 0; i < table.shard_count(); ++i) {
    metrics::ShardReport s;
    s.index = i;
    s.address = table.address(table.primary(i)).to_string();
    for (router::TargetId t : table.replicas(i)) s.replicas.push_back(table.address(t).to_string());
    if (i < shards.size()) s.totals = std::move(shards[i]);
    s.paused = state.paused(i);
    if (i < masters.size()) {
      s.learned = masters[i].learned;
      s.failovers = masters[i].failovers;
    }
    if (i < samples.size() && samples[i]->probed) {
      const auto& m = *samples[i];
      s.state = m.ok ? metrics::ShardState::kUp
                     : (m.timed_out ? metrics::ShardState::kTimeout : metrics::ShardState::kDown);
      s.error = m.error;
      s.last_ok_ms = m.last_ok_ms;
      s.info = m.info;
      s.role = std::string(m.info.get("role"));
    }
    if (s.paused && s.state == metrics::ShardState::kUp) s.state = metrics::ShardState::kPaused;
    r.shards.push_back(std::move(s));
  }
  r.process = process_report(state);
  core::EventLog log = state.events();  // a copy: the loop must not walk a temporary
  for (const auto& e : log.events()) r.events.push_back({e.unix_ms, e.kind, e.text});
  return r;
}

AdminHttp::Response admin_route(const std::string& path, const std::string& authorization,
                                const std::string& admin_password,
                                const std::function<metrics::Report()>& report) {
  AdminHttp::Response r;
  if (!admin_password.empty() && !authorized(authorization, admin_password)) {
    r.status = 401;
    r.www_authenticate = "Basic realm=\"preshard\"";
    r.body = "authentication required (user admin, the admin_password)\n";
    return r;
  }
  if (path == "/metrics") {
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics::prometheus_text(report());
  } else if (path == "/status") {
    r.content_type = "application/json";
    r.body = metrics::status_json(report());
  } else if (path == "/sd") {
    r.content_type = "application/json";
    r.body = metrics::sd_json(report());
  } else if (path == "/" || path == "/index.html") {
    r.content_type = "text/html; charset=utf-8";
    r.body = std::string(dashboard_html());
  } else {
    r.status = 404;
    r.body = "not found: /metrics, /status, /sd, /\n";
  }
  return r;
}

}  // namespace preshard::server
