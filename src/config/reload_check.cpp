#include "preshard/config/config.hpp"

namespace preshard::config {

ReloadCheck check_reload(const Config& running, const Config& next) {
  ReloadCheck r;
  if (next.instances.size() != running.instances.size()) {
    r.errors.push_back(next.source + ": instances: " + std::to_string(next.instances.size()) +
                       " instances instead of " + std::to_string(running.instances.size()) +
                       " (the instance count is fixed for the life of the data: move instances, "
                       "do not add or remove them)");
  }
  if (next.hash != running.hash) {
    r.errors.push_back(next.source + ": hash: cannot change while running (every key would move)");
  }
  if (next.hash_tag != running.hash_tag) {
    r.errors.push_back(next.source +
                       ": hash_tag: cannot change while running (tagged keys would move)");
  }
  if (!(next.listen == running.listen)) {
    r.warnings.push_back("listen: stays " + running.listen.to_string() +
                         " until restart (the new value is " + next.listen.to_string() + ")");
  }
  if (next.threads != running.threads) {
    r.warnings.push_back("threads: stays " + std::to_string(running.threads) +
                         " until restart (the new value is " + std::to_string(next.threads) + ")");
  }
  return r;
}

}  // namespace preshard::config
