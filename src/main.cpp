// preshard: a Redis proxy that makes N presharded redis-server instances look like one.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <cstring>
#include <iostream>
#include <string>

#include "preshard/config/config.hpp"
#include "preshard/net/tls_context.hpp"
#include "preshard/server/server.hpp"

namespace {

constexpr const char* kUsage =
    "Usage: preshard --config FILE [--check] [--log-level LEVEL] [--listen HOST:PORT]\n"
    "\n"
    "  -c, --config FILE    the YAML instance map and settings (see conf/preshard.yaml)\n"
    "      --check          validate FILE, print every problem, exit 1 if there is any\n"
    "      --log-level L    trace, debug, info, warn, error, critical, off (overrides FILE)\n"
    "      --listen H:P     listen here instead of FILE's listen (several proxies, one FILE)\n"
    "      --settings       print every setting with its default, bounds and reload rule\n"
    "  -v, --version        print the version\n"
    "  -h, --help           print this help\n"
    "\n"
    "Signals: SIGTERM/SIGINT finish the commands in flight and exit 0; SIGHUP reloads FILE.\n";

struct Options {
  std::string config;
  std::string log_level;
  std::string listen;
  bool check = false;
};

// The settings table (config/settings.hpp) as a Markdown table.
void print_settings() {
  std::cout << "| key | default | range | on reload | meaning |\n| --- | --- | --- | --- | --- |\n";
  for (const auto& s : preshard::config::setting_infos()) {
    std::string range = s.type == "integer" ? std::to_string(s.min) + "-" + std::to_string(s.max)
                                            : std::string(s.choices.empty() ? s.type : s.choices);
    const char* reload = s.reload == preshard::config::Reload::kLive      ? "applies"
                         : s.reload == preshard::config::Reload::kRestart ? "needs a restart"
                                                                          : "refused";
    std::cout << "| `" << s.name << "` | `" << s.default_text << "` | " << range << " | " << reload
              << " | " << s.help << " |\n";
  }
}

// Returns -1 to go on, or an exit code.
int parse_args(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        std::cerr << "preshard: " << name << " needs a value\n" << kUsage;
        return nullptr;
      }
      return argv[++i];
    };
    if (a == "-c" || a == "--config") {
      const char* v = value("--config");
      if (v == nullptr) return 2;
      o.config = v;
    } else if (a == "--log-level") {
      const char* v = value("--log-level");
      if (v == nullptr) return 2;
      o.log_level = v;
    } else if (a == "--listen") {
      const char* v = value("--listen");
      if (v == nullptr) return 2;
      o.listen = v;
    } else if (a == "--check") {
      o.check = true;
    } else if (a == "--settings") {
      print_settings();
      return 0;
    } else if (a == "-v" || a == "--version") {
      std::cout << "preshard " << PRESHARD_VERSION << "\n";
      return 0;
    } else if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "preshard: unknown argument '" << a << "'\n" << kUsage;
      return 2;
    }
  }
  if (o.config.empty()) {
    std::cerr << "preshard: --config FILE is required\n" << kUsage;
    return 2;
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  Options opts;
  if (int rc = parse_args(argc, argv, opts); rc >= 0) return rc;

  auto loaded = preshard::config::load_config_file(opts.config);
  if (!loaded.errors.empty()) {
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
    std::cerr << "preshard: " << loaded.errors.size() << " problem(s) in " << opts.config << "\n";
    return 1;
  }
  preshard::config::Config config = std::move(*loaded.config);
  if (!opts.listen.empty()) {
    std::string why;
    auto ep = preshard::config::parse_endpoint(opts.listen, why);
    if (!ep) {
      std::cerr << "preshard: --listen: " << why << "\n";
      return 2;
    }
    config.listen = *ep;
  }
  std::string tls_why;  // the TLS files are read now, so that --check and startup say so
  preshard::net::make_server_tls(config, tls_why);
  if (!tls_why.empty()) {
    std::cerr << opts.config << ": tls: " << tls_why << "\n";
    return 1;
  }
  preshard::net::make_backend_tls(config, config.any_backend_tls(), tls_why);
  if (!tls_why.empty()) {
    std::cerr << opts.config << ": tls_backends: " << tls_why << "\n";
    return 1;
  }
  if (opts.check) {
    std::cout << opts.config << ": OK (" << config.instances.size() << " instances, listen "
              << config.listen.to_string() << ")\n";
    return 0;
  }

  auto logger = spdlog::stderr_color_mt("preshard");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  std::string level = opts.log_level.empty() ? config.log_level : opts.log_level;
  auto lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && level != "off") {
    std::cerr << "preshard: unknown log level '" << level << "'\n";
    return 2;
  }
  spdlog::set_level(lvl);

  // Each client and each instance connection is a descriptor: allow as many as the system does.
  rlimit nofile{};
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
    nofile.rlim_cur = nofile.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nofile);
  }

  try {
    preshard::server::Server server(std::move(config), opts.log_level, !opts.listen.empty());
    return server.run();
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return 1;
  }
}
