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
  // The rest follows each setting's reload rule in the table.
  for (const SettingInfo& s : setting_infos()) {
    std::string was = setting_text(running, s.name);
    std::string now = setting_text(next, s.name);
    if (was == now) continue;
    std::string name(s.name);
    if (s.reload == Reload::kFixed) {
      r.errors.push_back(next.source + ": " + name +
                         ": cannot change while running (keys would move to other shards)");
    } else if (s.reload == Reload::kRestart) {
      r.warnings.push_back(name + ": stays " + was + " until restart (the new value is " + now +
                           ")");
    }
  }
  return r;
}

}  // namespace preshard::config
