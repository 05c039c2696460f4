#include "preshard/ctl/status.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <thread>

#include "preshard/config/config.hpp"
#include "preshard/config/settings.hpp"
#include "preshard/ctl/cli.hpp"
#include "preshard/ctl/parallel.hpp"
#include "preshard/ctl/redis_client.hpp"
#include "preshard/ctl/status_table.hpp"

namespace preshard::ctl {

namespace {

volatile sig_atomic_t g_stop = 0;

std::vector<ShardStatus> poll_all(const config::Config& c, std::chrono::milliseconds timeout) {
  std::string pass = c.redis.password();
  std::vector<ShardStatus> rows(c.instances.size());
  parallel_for(rows.size(), 128, [&](size_t i) {
    const config::Endpoint& ep = c.instances[i];
    RedisClient client(ep, timeout, "", pass);
    Reply r = client.command({"INFO", "everything"});
    if (r.type != Reply::Type::kString) {
      rows[i].shard = i;
      rows[i].address = ep.to_string();
      rows[i].error = r.str.empty() ? "no INFO reply" : r.str;
      return;
    }
    rows[i] = status_from_info(i, ep.to_string(), parse_info(r.str), std::time(nullptr));
  });
  return rows;
}

}  // namespace

int status_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string config_path;
  bool json = false;
  long long watch = 0, timeout_ms = 1000;
  auto usage = [&](const std::string& why) {
    err << "preshardctl: status: " << why << "\n";
    return 2;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto number = [&](long long& v) {
      return positive_number(i + 1 < args.size() ? args[++i] : "", config::kBig, v);
    };
    if (a == "-c" || a == "--config") {
      config_path = i + 1 < args.size() ? args[++i] : "";
    } else if (a == "--json") {
      json = true;
    } else if (a == "--watch") {
      if (!number(watch)) return usage("--watch: seconds");
    } else if (a == "--timeout") {
      if (!number(timeout_ms)) return usage("--timeout: milliseconds");
    } else {
      return usage("unknown argument '" + a + "'");
    }
  }
  if (config_path.empty()) return usage("--config FILE is required");
  auto loaded = config::load_config_file(config_path);
  for (const auto& e : loaded.errors) err << e.to_string() << "\n";
  if (!loaded.config) return 1;
  bool terminal = isatty(STDOUT_FILENO) && !json;
  if (watch > 0) {
    signal(SIGINT, [](int) { g_stop = 1; });
    signal(SIGTERM, [](int) { g_stop = 1; });
  }
  for (;;) {
    auto rows = poll_all(*loaded.config, std::chrono::milliseconds(timeout_ms));
    StatusSummary sum = summarize(rows);
    if (watch > 0 && terminal) out << "\x1b[H\x1b[2J";  // redraw in place
    if (watch > 0 && !json) {
      std::time_t now = std::time(nullptr);
      char when[32];
      std::strftime(when, sizeof when, "%F %T", std::localtime(&now));
      out << config_path << " at " << when << ", every " << watch << " s (Ctrl-C ends)\n";
    }
    out << (json ? render_status_json(rows) : render_status_table(rows)) << std::flush;
    int rc = sum.up == sum.shards ? 0 : 1;
    if (watch == 0) return rc;
    for (long long t = 0; t < watch * 10 && !g_stop; ++t) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (g_stop) return rc;
  }
}

}  // namespace preshard::ctl
