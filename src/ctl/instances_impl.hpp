#pragma once
// The steps of `preshardctl instances` (instances.cpp: arguments, stop, status;
// instances_start.cpp: start and the foreground mode). Private to those files.
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
int start(Run& run, milliseconds timeout);
int stop(Run& run, milliseconds timeout);
int foreground(Run& run, milliseconds timeout);

}  // namespace preshard::ctl::instances
