// preshardctl: operations on a preshard deployment (see README, "preshardctl").
#include <charconv>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "preshard/config/config.hpp"
#include "preshard/ctl/cli.hpp"
#include "preshard/ctl/config_edit.hpp"
#include "preshard/ctl/instances.hpp"
#include "preshard/ctl/layout.hpp"
#include "preshard/ctl/migrate.hpp"
#include "preshard/ctl/status.hpp"
#include "preshard/router/routing_table.hpp"

namespace {

constexpr const char* kUsage =
    "Usage:\n"
    "  preshardctl init --instances N --hosts HOST:FIRST-LAST[,...] [--listen HOST:PORT]\n"
    "                   [-o FILE [--force]]\n"
    "      write a commented config for that layout (stdout without -o); the layout must give\n"
    "      exactly N instances; -o refuses an existing FILE unless --force\n"
    "  preshardctl instances start|stop|restart|status|systemd --config FILE [--only SHARDS]\n"
    "                        [--foreground] [--timeout MS] [--redis-server PATH]\n"
    "      the config's instances on this machine (SHARDS like 3,17-20 narrows them): start\n"
    "      (each with its dir, redis.conf, pidfile and log under redis.dir/PORT; idempotent;\n"
    "      --foreground stays and stops them on SIGTERM), stop (SHUTDOWN, by pidfile), restart,\n"
    "      status (one line each; exit 1 when any is not up), systemd (a template unit for them)\n"
    "  preshardctl status --config FILE [--json] [--watch SECONDS] [--timeout MS]\n"
    "      every shard at once: up or down, role and replication, memory, keys, ops/s, clients,\n"
    "      last save, AOF; a summary line; exit 1 when any shard is down\n"
    "  preshardctl backup --config FILE -o ARCHIVE [--force] [--parallel N] [--timeout MS]\n"
    "                     [--consistent [--proxy HOST:PORT ...] [--pause-timeout MS]]\n"
    "      every shard's snapshot over the network (PSYNC, rdb-only) into one tar.gz with\n"
    "      manifest.json; --consistent pauses writes on the proxies until every snapshot began\n"
    "  preshardctl backup verify -i ARCHIVE\n"
    "      check an archive (manifest, sizes, SHA-256, RDB headers and CRC-64) without restoring\n"
    "  preshardctl restore --config FILE -i ARCHIVE [--force] [--only SHARDS] [--parallel N]\n"
    "                      [--proxy HOST:PORT ...] [--redis-server PATH]\n"
    "      put shard i of the archive into the config's shard i (any machines, outbound only:\n"
    "      a temporary local redis-server loads each RDB, DUMP/RESTORE ABSTTL copies it); the\n"
    "      whole archive and every target are checked first; a non-empty target, or one a proxy\n"
    "      serves unpaused, is refused unless --force\n"
    "  preshardctl sentinel-config --config FILE --quorum N [--down-after-ms MS]\n"
    "                              [--failover-timeout-ms MS]\n"
    "      the sentinel.conf lines that make stock Redis Sentinels watch every shard's master\n"
    "      under the name the proxy asks for (sentinel_name)\n"
    "  preshardctl failover --config FILE [--proxy HOST:PORT ...] [--dry-run]\n"
    "                       [--catchup-timeout MS] [--pause-timeout MS] SHARD... | --host HOST\n"
    "      planned switchover: the master role of each shard (or of every shard whose master is\n"
    "      on HOST) moves to its in-sync replica with no error and no lost write: pause the shard\n"
    "      on every proxy, wait until the replica has every write, promote it (SENTINEL FAILOVER\n"
    "      where Sentinels are configured), fence the old master as its replica, rewrite FILE,\n"
    "      reload, resume\n"
    "  preshardctl check --config FILE\n"
    "      validate FILE as preshard --check does; exit 1 if there is any problem\n"
    "  preshardctl shard --config FILE KEY [KEY ...]\n"
    "      print the shard and the instance of each key\n"
    "  preshardctl migrate --config FILE [--proxy HOST:PORT ...] [--dry-run]\n"
    "                      [--sync-timeout MS] [--catchup-timeout MS] [--pause-timeout MS]\n"
    "                      SHARD=HOST:PORT ...\n"
    "      move each shard to a new, empty instance with no lost write: replicate, pause the\n"
    "      shard on every proxy (default: the config's listen address), wait until the target\n"
    "      has every write, promote it, fence the source, rewrite FILE (FILE.bak keeps the\n"
    "      original), reload every proxy, resume. Any failure leaves that shard where it was.\n";

int usage_error(const std::string& why) {
  std::cerr << "preshardctl: " << why << "\n" << kUsage;
  return 2;
}

bool parse_ms(const std::string& s, std::chrono::milliseconds& out) {
  long long v = 0;
  if (!preshard::ctl::positive_number(s, preshard::config::kU32Max, v)) return false;
  out = std::chrono::milliseconds(v);
  return true;
}

std::optional<preshard::config::Config> load(const std::string& path) {
  auto loaded = preshard::config::load_config_file(path);
  for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
  if (!loaded.errors.empty()) {
    std::cerr << "preshardctl: " << loaded.errors.size() << " problem(s) in " << path << "\n";
    return std::nullopt;
  }
  return std::move(loaded.config);
}

// preshardctl init: a config for a layout, checked by the same parser preshard uses.
int init(int argc, char** argv) {
  std::string hosts, out, listen = "127.0.0.1:6380";
  long long count = -1;
  bool force = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--instances") {
      try {
        count = std::stoll(value());
      } catch (const std::exception&) {
        return usage_error("--instances: a number of instances");
      }
    } else if (a == "--hosts") {
      hosts = value();
    } else if (a == "-o" || a == "--output") {
      out = value();
    } else if (a == "--listen") {
      listen = value();
    } else if (a == "--force") {
      force = true;
    } else {
      return usage_error("init: unknown argument '" + a + "'");
    }
  }
  if (count <= 0) return usage_error("init: --instances N is required (N > 0)");
  if (hosts.empty()) return usage_error("init: --hosts is required");
  preshard::ctl::Layout layout = preshard::ctl::parse_layout(hosts);
  if (!layout.error.empty()) return usage_error("--hosts: " + layout.error);
  if (static_cast<long long>(layout.instances.size()) != count) {
    std::cerr << "preshardctl: --hosts gives " << layout.instances.size()
              << " instances, --instances says " << count << "\n";
    return 1;
  }
  std::string why;
  auto ep = preshard::config::parse_endpoint(listen, why);
  if (!ep) return usage_error("--listen: " + why);
  std::string text = preshard::ctl::render_config(layout.instances, *ep);
  auto check = preshard::config::parse_config(text, out.empty() ? "(output)" : out);
  if (!check.errors.empty()) {  // the layout itself is wrong (a duplicate address, say)
    for (const auto& e : check.errors) std::cerr << e.to_string() << "\n";
    return 1;
  }
  if (out.empty()) {
    std::cout << text;
    return 0;
  }
  if (!force && std::ifstream(out).good()) {
    std::cerr << "preshardctl: " << out << " exists (--force replaces it)\n";
    return 1;
  }
  if (!preshard::ctl::write_atomically(out, text, why)) {
    std::cerr << "preshardctl: " << out << ": " << why << "\n";
    return 1;
  }
  std::cout << out << ": " << count << " instances, listen " << ep->to_string() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage_error("a command is needed");
  std::string cmd = argv[1];
  if (cmd == "-h" || cmd == "--help" || cmd == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (cmd == "init") return init(argc, argv);
  if (cmd == "backup")
    return preshard::ctl::backup_command({argv + 2, argv + argc}, std::cout, std::cerr);
  if (cmd == "restore")
    return preshard::ctl::restore_command({argv + 2, argv + argc}, std::cout, std::cerr);
  if (cmd == "sentinel-config")
    return preshard::ctl::sentinel_config_command({argv + 2, argv + argc}, std::cout, std::cerr);
  if (cmd == "status")
    return preshard::ctl::status_command({argv + 2, argv + argc}, std::cout, std::cerr);
  if (cmd == "instances") {
    std::string why;
    auto o = preshard::ctl::parse_instances_args({argv + 2, argv + argc}, why);
    if (!o) return usage_error(why);
    return preshard::ctl::run_instances(*o, std::cout, std::cerr);
  }
  std::string config;
  std::vector<std::string> rest;
  preshard::ctl::MigrateOptions mo;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "-c" || a == "--config") {
      config = value();
    } else if (a == "--proxy") {
      std::string why;
      auto ep = preshard::config::parse_endpoint(value(), why);
      if (!ep) return usage_error("--proxy: " + why);
      mo.proxies.push_back(*ep);
    } else if (a == "--dry-run") {
      mo.dry_run = true;
    } else if (a == "--host" && cmd == "failover") {
      mo.host = value();
      if (mo.host.empty()) return usage_error("--host: a host name or address");
    } else if (a == "--sync-timeout") {
      if (!parse_ms(value(), mo.sync_timeout)) return usage_error("--sync-timeout: milliseconds");
    } else if (a == "--catchup-timeout") {
      if (!parse_ms(value(), mo.catchup_timeout)) {
        return usage_error("--catchup-timeout: milliseconds");
      }
    } else if (a == "--pause-timeout") {
      std::chrono::milliseconds ms{};
      if (!parse_ms(value(), ms)) return usage_error("--pause-timeout: milliseconds");
      mo.pause_timeout_ms = static_cast<unsigned>(ms.count());
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("unknown option '" + a + "'");
    } else {
      rest.push_back(a);
    }
  }
  if (config.empty()) return usage_error("--config FILE is required");
  if (cmd == "check") {
    auto c = load(config);
    if (!c) return 1;
    std::cout << config << ": OK (" << c->instances.size() << " instances, listen "
              << c->listen.to_string() << ")\n";
    return 0;
  }
  if (cmd == "shard") {
    if (rest.empty()) return usage_error("shard needs at least one KEY");
    auto c = load(config);
    if (!c) return 1;
    auto table = preshard::router::RoutingTable::build(*c);
    for (const auto& key : rest) {
      size_t s = table->shard_of(key);
      std::cout << key << " shard " << s << " instance " << c->instances[s].to_string() << "\n";
    }
    return 0;
  }
  if (cmd == "failover") {
    if (rest.empty() == mo.host.empty())
      return usage_error("failover needs SHARD... or --host HOST");
    for (const auto& s : rest) {
      size_t shard = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), shard);
      if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
        return usage_error("'" + s + "' is not a shard number");
      }
      mo.shards.push_back(shard);
    }
    mo.config_path = config;
    mo.switchover = true;
    return preshard::ctl::migrate(mo, std::cout, std::cerr);
  }
  if (cmd == "migrate") {
    if (rest.empty()) return usage_error("migrate needs SHARD=HOST:PORT arguments");
    for (const auto& m : rest) {
      size_t eq = m.find('=');
      std::string why;
      std::optional<preshard::config::Endpoint> ep;
      if (eq != std::string::npos) ep = preshard::config::parse_endpoint(m.substr(eq + 1), why);
      size_t shard = 0;
      bool number = eq != std::string::npos && eq > 0 && m.find_first_not_of("0123456789") == eq;
      if (number) shard = std::stoul(m.substr(0, eq));
      if (!number || !ep) return usage_error("'" + m + "' is not SHARD=HOST:PORT " + why);
      mo.moves.emplace_back(shard, *ep);
    }
    mo.config_path = config;
    return preshard::ctl::migrate(mo, std::cout, std::cerr);
  }
  return usage_error("unknown command '" + cmd + "'");
}
