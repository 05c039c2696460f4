// preshardctl instances start, and its --foreground mode.
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <thread>

#include "instances_impl.hpp"
#include "preshard/ctl/config_edit.hpp"
#include "preshard/ctl/instance_process.hpp"

namespace preshard::ctl::instances {

bool write_instance_conf(const Run& run, const ManagedInstance& inst, std::string& why) {
  std::error_code ec;
  std::filesystem::create_directories(inst.dir, ec);
  if (ec) {
    why = "cannot create " + inst.dir.string() + ": " + ec.message();
    return false;
  }
  std::string conf = render_redis_conf(inst, run.config.redis, run.config.source,
                                       run.config.backend_credentials(inst.shard));
  return write_atomically(inst.conf().string(), conf, why);
}

namespace {

using Clock = std::chrono::steady_clock;

enum class End { kAlready, kStarted, kFailed };

struct Launch {
  End end = End::kFailed;
  pid_t pid = -1;
  std::string why;
};

// Writes the instance's redis.conf and spawns it; `l.pid` is set when it runs.
void launch(const Run& run, const ManagedInstance& inst, Launch& l) {
  if (auto pid = running_pid(inst.pidfile())) {
    l = {End::kAlready, *pid, ""};
    return;
  }
  if (!write_instance_conf(run, inst, l.why)) return;
  std::ofstream(inst.out(), std::ios::trunc).close();
  l.pid = spawn_redis(run.options.redis_server, inst.conf(), inst.out(), l.why);
}

// Why a spawned instance is not serving: its own words (stderr, then its log).
std::string died(const ManagedInstance& inst) {
  std::string said = tail_lines(inst.out(), 4);
  if (said.empty()) said = tail_lines(inst.log(), 3);
  return "redis-server exited: " + (said.empty() ? "(it wrote nothing)" : said);
}

// Waits (bounded) until every spawned instance answers PING with anything but -LOADING.
void wait_ready(const Run& run, std::vector<Launch>& ls, milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  std::vector<bool> waiting(ls.size());
  for (size_t i = 0; i < ls.size(); ++i) waiting[i] = ls[i].end == End::kFailed && ls[i].pid > 0;
  for (bool any = true; any;) {
    any = false;
    for (size_t i = 0; i < ls.size(); ++i) {
      if (!waiting[i]) continue;
      const ManagedInstance& inst = run.selected[i];
      if (!process_alive(ls[i].pid)) {
        ls[i].why = died(inst);
        waiting[i] = false;
        continue;
      }
      RedisClient c = connect_to(run, inst, milliseconds(200));
      Reply r = c.command({"PING"});
      if (r.ok() || (r.type == Reply::Type::kError && r.str.rfind("LOADING", 0) != 0)) {
        ls[i].end = End::kStarted;
        waiting[i] = false;
        continue;
      }
      if (Clock::now() >= deadline) {
        ls[i].why = "did not answer PING within " + std::to_string(timeout.count()) + " ms (pid " +
                    std::to_string(ls[i].pid) + " runs on; see " + inst.log().string() + ")";
        waiting[i] = false;
        continue;
      }
      any = true;
    }
    if (any) std::this_thread::sleep_for(milliseconds(20));
  }
}

// Starts the selection and reports; `pids` gets every running instance's pid.
int start_all(Run& run, milliseconds timeout, std::vector<pid_t>& pids) {
  auto t0 = Clock::now();
  std::vector<Launch> ls(run.selected.size());
  for (size_t i = 0; i < ls.size(); ++i) launch(run, run.selected[i], ls[i]);
  wait_ready(run, ls, timeout);
  size_t started = 0, already = 0, failed = 0;
  for (size_t i = 0; i < ls.size(); ++i) {
    const ManagedInstance& inst = run.selected[i];
    if (ls[i].end == End::kFailed) {
      ++failed;
      run.err << inst.label() << ": " << ls[i].why << "\n";
      continue;
    }
    pids.push_back(ls[i].pid);
    if (ls[i].end == End::kStarted) ++started;
    if (ls[i].end == End::kAlready) {
      ++already;
      run.out << inst.label() << ": already running (pid " << ls[i].pid << ")\n";
    }
  }
  auto ms = std::chrono::duration_cast<milliseconds>(Clock::now() - t0).count();
  run.out << "instances: " << started + already << " of " << ls.size() << " up (" << started
          << " started in " << ms << " ms, " << already << " already running";
  if (failed) run.out << ", " << failed << " failed";
  run.out << "); data under " << data_root(run.config).string() << "\n";
  return failed ? 1 : 0;
}

}  // namespace

int start(Run& run, milliseconds timeout) {
  std::vector<pid_t> pids;
  return start_all(run, timeout, pids);
}

int foreground(Run& run, milliseconds timeout) {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&set, s);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // taken with sigtimedwait below
  std::vector<pid_t> pids;
  int rc = start_all(run, timeout, pids);
  if (rc != 0) {
    run.err << "preshardctl: not every instance started: stopping them\n";
    stop(run, milliseconds(60000));
    return 1;
  }
  run.out << "instances: in the foreground; SIGTERM or SIGINT stops them all" << std::endl;
  std::vector<bool> gone(pids.size(), false);
  size_t alive = pids.size();
  while (alive > 0) {
    timespec tick{1, 0};
    int sig = sigtimedwait(&set, nullptr, &tick);
    if (sig == SIGTERM || sig == SIGINT) {
      run.out << "instances: signal " << sig << ": stopping" << std::endl;
      return stop(run, milliseconds(60000));
    }
    for (size_t i = 0; i < pids.size(); ++i) {  // on SIGCHLD, and each second for non-children
      if (gone[i] || process_alive(pids[i])) continue;
      gone[i] = true;
      --alive;
      run.err << run.selected[i].label() << ": exited (pid " << pids[i] << "); "
              << died(run.selected[i]) << std::endl;
    }
  }
  run.err << "preshardctl: every instance has exited\n";
  return 1;
}

}  // namespace preshard::ctl::instances
