#include "preshard/ctl/instances.hpp"

#include <signal.h>

#include <iomanip>
#include <thread>

#include "instances_impl.hpp"
#include "preshard/config/settings.hpp"
#include "preshard/ctl/cli.hpp"
#include "preshard/ctl/instance_process.hpp"
#include "preshard/ctl/layout.hpp"
#include "preshard/ctl/parallel.hpp"
#include "preshard/ctl/sentinel_query.hpp"

namespace preshard::ctl {

namespace instances {

RedisClient connect_to(const Run& run, const ManagedInstance& inst, milliseconds timeout) {
  std::string pass = run.config.redis.password();
  return RedisClient(config::Endpoint{inst.bind, inst.address.port}, timeout, "", pass);
}

namespace {

// SHUTDOWN with a save when persistence is on: SAVE with RDB save points, the plain form (which
// fsyncs the AOF) with AOF only, NOSAVE with neither.
std::vector<std::string> shutdown_command(const config::RedisSection& r) {
  std::string save = r.get("save");
  if (!save.empty() && save != "\"\"") return {"SHUTDOWN", "SAVE"};
  if (r.persistent()) return {"SHUTDOWN"};
  return {"SHUTDOWN", "NOSAVE"};
}

}  // namespace

int stop(Run& run, milliseconds timeout) {
  enum class End { kNotRunning, kStopped, kFailed };
  std::vector<End> ends(run.selected.size(), End::kFailed);
  std::vector<std::string> why(run.selected.size());
  auto shutdown = shutdown_command(run.config.redis);
  parallel_for(run.selected.size(), 32, [&](size_t i) {
    const ManagedInstance& inst = run.selected[i];
    auto pid = running_pid(inst.pidfile());
    if (!pid) {
      ends[i] = End::kNotRunning;
      return;
    }
    RedisClient c = connect_to(run, inst, timeout);
    std::string unreachable;
    if (c.connect(unreachable)) {
      Reply r = c.command(shutdown);  // a clean SHUTDOWN closes the connection: no reply
      if (r.type == Reply::Type::kError) {
        why[i] = "refused " + shutdown[0] + ": " + r.str + " (see " + inst.log().string() + ")";
        return;
      }
    } else {
      kill(*pid, SIGTERM);  // hung or refusing connections: redis-server saves on SIGTERM too
    }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (process_alive(*pid) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(20));
    }
    if (process_alive(*pid)) {
      why[i] = "still running (pid " + std::to_string(*pid) + ") after " +
               std::to_string(timeout.count()) + " ms; see " + inst.log().string();
      return;
    }
    ends[i] = End::kStopped;
  });
  size_t stopped = 0, idle = 0, failed = 0;
  for (size_t i = 0; i < ends.size(); ++i) {
    if (ends[i] == End::kStopped) ++stopped;
    if (ends[i] == End::kNotRunning) ++idle;
    if (ends[i] == End::kFailed) {
      ++failed;
      run.err << run.selected[i].label() << ": " << why[i] << "\n";
    }
  }
  run.out << "instances: " << stopped << " stopped, " << idle << " not running";
  if (failed) run.out << ", " << failed << " failed";
  run.out << "\n";
  return failed ? 1 : 0;
}

namespace {

struct Row {
  std::string pid = "-", state = "down", uptime = "-", keys = "-", memory = "-";
};

Row probe(const Run& run, const ManagedInstance& inst, milliseconds timeout) {
  Row row;
  auto pid = running_pid(inst.pidfile());
  if (pid) row.pid = std::to_string(*pid);
  RedisClient c = connect_to(run, inst, timeout);
  Reply r = c.command({"INFO", "everything"});
  if (r.type == Reply::Type::kString) {
    auto info = parse_info(r.str);
    row.uptime = info["uptime_in_seconds"] + "s";
    row.keys = std::to_string(keyspace_keys(info));
    row.memory = info["used_memory_human"];
    if (info["maxmemory"] != "0") row.memory += "/" + info["maxmemory_human"];
    row.state = pid ? "up" : "foreign";  // something answers there, but not our process
  } else if (r.type == Reply::Type::kError && r.str.rfind("LOADING", 0) == 0) {
    row.state = "loading";
  } else if (r.type == Reply::Type::kError) {
    row.state = "error";
    row.memory = r.str;
  } else if (pid) {
    row.state = "hung";  // the process lives but does not answer in time
  }
  return row;
}

int status(Run& run, milliseconds timeout) {
  std::vector<Row> rows(run.selected.size());
  parallel_for(rows.size(), 64, [&](size_t i) { rows[i] = probe(run, run.selected[i], timeout); });
  size_t up = 0;
  run.out << std::left << std::setw(6) << "SHARD" << std::setw(24) << "ADDRESS" << std::setw(9)
          << "PID" << std::setw(9) << "STATE" << std::setw(10) << "UPTIME" << std::setw(10)
          << "KEYS"
          << "MEMORY\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    if (r.state == "up") ++up;
    run.out << std::setw(6) << run.selected[i].shard << std::setw(24)
            << run.selected[i].address.to_string() << std::setw(9) << r.pid << std::setw(9)
            << r.state << std::setw(10) << r.uptime << std::setw(10) << r.keys << r.memory << "\n";
  }
  run.out << "instances: " << up << " of " << rows.size() << " up\n";
  return up == rows.size() ? 0 : 1;
}

}  // namespace

}  // namespace instances

std::optional<InstancesOptions> parse_instances_args(const std::vector<std::string>& args,
                                                     std::string& why) {
  InstancesOptions o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string { return i + 1 < args.size() ? args[++i] : ""; };
    if (a == "-c" || a == "--config") {
      o.config_path = value();
    } else if (a == "--only") {
      o.only = value();
      if (o.only.empty()) why = "--only: a list of shards, like 3,17-20";
    } else if (a == "--redis-server") {
      o.redis_server = value();
    } else if (a == "--foreground") {
      o.foreground = true;
    } else if (a == "--timeout") {
      long long ms = 0;
      if (!positive_number(value(), config::kU32Max, ms)) why = "--timeout: milliseconds";
      o.timeout = std::chrono::milliseconds(ms);
    } else if (o.action.empty() && !a.empty() && a[0] != '-') {
      o.action = a;
    } else {
      why = "instances: unknown argument '" + a + "'";
    }
    if (!why.empty()) return std::nullopt;
  }
  if (o.action != "start" && o.action != "stop" && o.action != "restart" && o.action != "status" &&
      o.action != "systemd") {
    why = "instances: start, stop, restart, status or systemd";
  } else if (o.config_path.empty()) {
    why = "--config FILE is required";
  } else if (o.foreground && o.action != "start") {
    why = "--foreground goes with start only";
  }
  if (!why.empty()) return std::nullopt;
  return o;
}

int run_instances(const InstancesOptions& o, std::ostream& out, std::ostream& err) {
  auto loaded = config::load_config_file(o.config_path);
  for (const auto& e : loaded.errors) err << e.to_string() << "\n";
  if (!loaded.config) return 1;
  const config::Config& c = *loaded.config;
  std::optional<std::vector<bool>> only;
  std::string why;
  if (!o.only.empty()) {
    only = parse_shard_set(o.only, c.instances.size(), why);
    if (!only) {
      err << "preshardctl: --only: " << why << "\n";
      return 2;
    }
  }
  // After a failover the file's master may be a replica now: Sentinel says who is master,
  // and each instance (re)starts in that role.
  std::vector<std::optional<config::Endpoint>> masters;
  if (!c.sentinels.empty() && o.action != "stop" && o.action != "status") {
    masters = sentinel_masters(c, std::chrono::milliseconds(2000), err);
  }
  Selection sel = select_local(c, only ? &*only : nullptr, masters.empty() ? nullptr : &masters);
  if (!sel.error.empty()) {
    err << "preshardctl: " << sel.error << "\n";
    return 1;
  }
  instances::Run run{c, o, std::move(sel.instances), out, err};
  using std::chrono::milliseconds;
  if (o.action == "systemd") return instances::systemd_unit(run);
  if (o.action == "status") return instances::status(run, o.timeout.value_or(milliseconds(1000)));
  if (o.action == "stop") return instances::stop(run, o.timeout.value_or(milliseconds(60000)));
  if (o.action == "restart" && instances::stop(run, o.timeout.value_or(milliseconds(60000)))) {
    return 1;
  }
  milliseconds t = o.timeout.value_or(milliseconds(30000));
  return o.foreground ? instances::foreground(run, t) : instances::start(run, t);
}

}  // namespace preshard::ctl
