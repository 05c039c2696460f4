#include "preshard/ctl/instance_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <vector>

extern char** environ;

namespace preshard::ctl {

namespace fs = std::filesystem;

std::optional<pid_t> running_pid(const fs::path& pidfile) {
  std::ifstream in(pidfile);
  long long pid = 0;
  if (!(in >> pid) || pid <= 1) return std::nullopt;
  if (!process_alive(static_cast<pid_t>(pid))) return std::nullopt;
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  if (!std::getline(comm, name) || name.find("redis") == std::string::npos) return std::nullopt;
  return static_cast<pid_t>(pid);
}

bool process_alive(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) == pid) return false;  // our child, and now reaped
  if (kill(pid, 0) != 0 && errno != EPERM) return false;
  // A zombie that is not ours still answers kill(0): read its state.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  size_t paren = line.rfind(')');
  return paren == std::string::npos || paren + 2 >= line.size() || line[paren + 2] != 'Z';
}

pid_t spawn_redis(const std::string& binary, const fs::path& conf, const fs::path& out,
                  std::string& why) {
  posix_spawn_file_actions_t files;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&files);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, 1, out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&files, 1, 2);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::string conf_arg = conf.string();
  std::vector<char*> argv = {const_cast<char*>(binary.c_str()), conf_arg.data(), nullptr};
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, binary.c_str(), &files, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    why = "cannot run " + binary + ": " + std::strerror(rc);
    return -1;
  }
  return pid;
}

int run_capture(const std::vector<std::string>& args, std::string& output) {
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) {
    output = std::string("pipe: ") + std::strerror(errno);
    return -1;
  }
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&files, pipefd[1], 1);
  posix_spawn_file_actions_adddup2(&files, pipefd[1], 2);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0], &files, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  ::close(pipefd[1]);
  if (rc != 0) {
    ::close(pipefd[0]);
    output = "cannot run " + args[0] + ": " + std::strerror(rc);
    return -1;
  }
  output.clear();
  char buf[4096];
  ssize_t n;
  while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) output.append(buf, static_cast<size_t>(n));
  }
  ::close(pipefd[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status)) {
    output = args[0] + " was killed by signal " + std::to_string(WTERMSIG(status));
    return -1;
  }
  return WEXITSTATUS(status);
}

std::string tail_lines(const fs::path& file, size_t lines) {
  std::ifstream in(file);
  std::deque<std::string> last;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    last.push_back(line);
    if (last.size() > lines) last.pop_front();
  }
  std::string out;
  for (const auto& l : last) out += (out.empty() ? "" : " | ") + l;
  return out;
}

}  // namespace preshard::ctl
