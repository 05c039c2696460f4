#pragma once
// preshardctl instances start|stop|restart|status: the instances of a config that are on this
// machine (README, "Running the instances").
#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace preshard::ctl {

struct InstancesOptions {
  std::string action;  // start, stop, restart or status
  std::string config_path;
  std::string only;  // "3,17-20": these shards only; "" = every one on this machine
  std::string redis_server = "redis-server";
  bool foreground = false;  // start: stay, report exits, stop them all on SIGTERM or SIGINT
  // start: until every instance answers PING; stop: until every process is gone; status: per
  // instance. Unset: 30 s, 60 s and 1 s.
  std::optional<std::chrono::milliseconds> timeout;
};

// Arguments after "instances"; nullopt with `why` on a usage error.
std::optional<InstancesOptions> parse_instances_args(const std::vector<std::string>& args,
                                                     std::string& why);
// Exit status: 0 when every selected instance ended as asked (status: is up), 1 otherwise.
int run_instances(const InstancesOptions& o, std::ostream& out, std::ostream& err);

}  // namespace preshard::ctl
