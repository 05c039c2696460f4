// preshardctl sentinel-config: the lines that make stock Redis Sentinels watch every shard
// under the names the proxy asks for (README, "Failover").
#include <boost/asio/ip/address.hpp>

#include "preshard/config/config.hpp"
#include "preshard/config/sentinel_name.hpp"
#include "preshard/ctl/cli.hpp"

namespace preshard::ctl {

std::string render_sentinel_config(const config::Config& c, const SentinelConfigOptions& o) {
  size_t n = c.instances.size();
  std::string out = "# preshard: " + std::to_string(n) +
                    " shards for Redis Sentinel, written by preshardctl sentinel-config from " +
                    c.source +
                    ".\n# Every Sentinel's sentinel.conf gets the same lines (before it first "
                    "starts: Sentinel\n# rewrites its file as it learns). Quorum " +
                    std::to_string(o.quorum) + " of " +
                    (c.sentinels.empty() ? std::string("the")
                                         : std::to_string(c.sentinels.size()) + " configured") +
                    " Sentinels.\n";
  bool names = false;
  for (const auto& ep : c.instances) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(ep.host, ec);
    names = names || ec;
  }
  if (names) out += "sentinel resolve-hostnames yes\nsentinel announce-hostnames yes\n";
  for (size_t i = 0; i < n; ++i) {
    std::string name = config::sentinel_name(c.sentinel_name, i, n);
    const config::Endpoint& m = c.instances[i];
    out += "sentinel monitor " + name + " " + m.host + " " + std::to_string(m.port) + " " +
           std::to_string(o.quorum) + "\n";
    out +=
        "sentinel down-after-milliseconds " + name + " " + std::to_string(o.down_after_ms) + "\n";
    out += "sentinel failover-timeout " + name + " " + std::to_string(o.failover_timeout_ms) + "\n";
    out += "sentinel parallel-syncs " + name + " 1\n";
  }
  return out;
}

int sentinel_config_command(const std::vector<std::string>& args, std::ostream& out,
                            std::ostream& err) {
  std::string config_path;
  SentinelConfigOptions o;
  long long quorum = 0, down = o.down_after_ms, failover = o.failover_timeout_ms;
  auto usage = [&](const std::string& why) {
    err << "preshardctl: sentinel-config: " << why << "\n";
    return 2;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto number = [&](long long& v) {
      return positive_number(i + 1 < args.size() ? args[++i] : "", config::kU32Max, v);
    };
    if (a == "-c" || a == "--config") {
      config_path = i + 1 < args.size() ? args[++i] : "";
    } else if (a == "--quorum") {
      if (!number(quorum)) return usage("--quorum: a number of Sentinels (1 or more)");
    } else if (a == "--down-after-ms") {
      if (!number(down)) return usage("--down-after-ms: milliseconds");
    } else if (a == "--failover-timeout-ms") {
      if (!number(failover)) return usage("--failover-timeout-ms: milliseconds");
    } else {
      return usage("unknown argument '" + a + "'");
    }
  }
  if (config_path.empty()) return usage("--config FILE is required");
  if (quorum == 0) return usage("--quorum N is required (a majority of your Sentinels)");
  auto loaded = config::load_config_file(config_path);
  for (const auto& e : loaded.errors) err << e.to_string() << "\n";
  if (!loaded.config) return 1;
  const config::Config& c = *loaded.config;
  if (!c.sentinels.empty() && static_cast<size_t>(quorum) > c.sentinels.size()) {
    err << "preshardctl: sentinel-config: --quorum " << quorum << " is more than the "
        << c.sentinels.size() << " Sentinels of " << config_path
        << ": no failover could ever be agreed\n";
    return 1;
  }
  o.quorum = static_cast<unsigned>(quorum);
  o.down_after_ms = static_cast<unsigned>(down);
  o.failover_timeout_ms = static_cast<unsigned>(failover);
  out << render_sentinel_config(c, o);
  return 0;
}

}  // namespace preshard::ctl
