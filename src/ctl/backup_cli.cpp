// preshardctl backup [verify]: the arguments.
#include "preshard/config/settings.hpp"
#include "preshard/ctl/backup.hpp"
#include "preshard/ctl/cli.hpp"

namespace preshard::ctl {

int backup_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto usage = [&](const std::string& why) {
    err << "preshardctl: backup: " << why << " (preshardctl --help)\n";
    return 2;
  };
  if (!args.empty() && args[0] == "verify") {
    std::string input;
    for (size_t i = 1; i < args.size(); ++i) {
      if ((args[i] == "-i" || args[i] == "--input") && i + 1 < args.size()) {
        input = args[++i];
      } else {
        return usage("verify: unknown argument '" + args[i] + "'");
      }
    }
    if (input.empty()) return usage("verify needs -i ARCHIVE");
    return verify_backup(input, out, err);
  }
  BackupOptions o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string v = i + 1 < args.size() ? args[i + 1] : "";
    long long n = 0;
    auto number = [&](long long max) {
      ++i;  // the value v is taken
      return positive_number(v, max, n);
    };
    if (a == "-c" || a == "--config") {
      o.config_path = v, ++i;
    } else if (a == "-o" || a == "--output") {
      o.output = v, ++i;
    } else if (a == "--force") {
      o.force = true;
    } else if (a == "--consistent") {
      o.consistent = true;
    } else if (a == "--proxy") {
      std::string why;
      if (!add_proxy(v, o.proxies, why)) return usage("--proxy: " + why);
      ++i;
    } else if (a == "--parallel") {
      if (!number(1024)) return usage("--parallel: 1 to 1024 shards at once");
      o.parallel = static_cast<size_t>(n);
    } else if (a == "--timeout") {
      if (!number(config::kU32Max)) return usage("--timeout: milliseconds");
      o.idle_timeout = std::chrono::milliseconds(n);
    } else if (a == "--pause-timeout") {
      if (!number(config::kU32Max)) return usage("--pause-timeout: milliseconds");
      o.pause_timeout_ms = static_cast<unsigned>(n);
    } else {
      return usage("unknown argument '" + a + "'");
    }
  }
  if (o.config_path.empty()) return usage("--config FILE is required");
  if (o.output.empty()) return usage("-o ARCHIVE is required");
  if (!o.proxies.empty() && !o.consistent) return usage("--proxy goes with --consistent");
  return backup(o, out, err);
}

}  // namespace preshard::ctl
