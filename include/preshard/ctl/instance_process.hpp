#pragma once
// The processes of managed instances: spawning redis-server, finding it again by its pidfile,
// waiting for it to go. Never by process name.
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace preshard::ctl {

// The pid in `pidfile` if that process is alive and is a redis-server (its comm says "redis"),
// so that a stale pidfile whose pid was reused is never taken for an instance.
std::optional<pid_t> running_pid(const std::filesystem::path& pidfile);
// Alive and not a zombie; reaps it first when it is this process's child.
bool process_alive(pid_t pid);
// Starts `binary conf` in a session of its own: stdin /dev/null, stdout and stderr appended to
// `out`, every signal at its default and unblocked. -1 with `why` when it could not start.
pid_t spawn_redis(const std::string& binary, const std::filesystem::path& conf,
                  const std::filesystem::path& out, std::string& why);
// Runs argv[0] (from PATH) with stdout and stderr into `output`; its exit status, or -1 with
// `output` saying why when it could not run or was killed.
int run_capture(const std::vector<std::string>& argv, std::string& output);
// The last `lines` lines of a text file, joined with " | " (for messages); "" if unreadable.
std::string tail_lines(const std::filesystem::path& file, size_t lines);

}  // namespace preshard::ctl
