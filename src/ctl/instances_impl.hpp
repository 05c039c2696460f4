#pragma once
// The steps of `preshardctl instances` (instances.cpp: arguments, stop, status;
// instances_start.cpp: start and the foreground mode; instances_systemd.cpp). Private to them.
#include <chrono>
#include <ostream>
#include <vector>

#include "preshard/config/config.hpp"
#include "preshard/ctl/instances.hpp"
#include "preshard/ctl/managed_instance.hpp"
#include "preshard/ctl/redis_client.hpp"

namespace preshard::ctl::instances {

using std::chrono::milliseconds;

struct Run {
  const config::Config& config;
  const InstancesOptions& options;
  std::vector<ManagedInstance> selected;
  std::ostream& out;
  std::ostream& err;
};

// A connection to a managed instance, with the section's requirepass.
RedisClient connect_to(const Run& run, const ManagedInstance& inst, milliseconds timeout);
// The instance's directory and generated redis.conf; false with `why`.
bool write_instance_conf(const Run& run, const ManagedInstance& inst, std::string& why);
int start(Run& run, milliseconds timeout);
// Writes the redis.conf of every selected instance and a systemd template unit that runs them
// (instances_systemd.cpp): the OS then starts and restarts them instead of preshardctl.
int systemd_unit(Run& run);
int stop(Run& run, milliseconds timeout);
int foreground(Run& run, milliseconds timeout);

}  // namespace preshard::ctl::instances
