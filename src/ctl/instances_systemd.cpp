// preshardctl instances systemd: a template unit, so that the OS starts the instances at boot and
// restarts one that dies; preshardctl instances stop|status keep working (by pidfile).
#include <fstream>

#include "instances_impl.hpp"
#include "preshard/ctl/config_edit.hpp"

namespace preshard::ctl::instances {

int systemd_unit(Run& run) {
  std::filesystem::path root = data_root(run.config);
  std::string why;
  for (const auto& inst : run.selected) {
    if (!write_instance_conf(run, inst, why)) {
      run.err << inst.label() << ": " << why << "\n";
      return 1;
    }
  }
  // %i is the port: the instance's directory under the data root.
  std::string unit = "# Written by preshardctl instances systemd from " + run.config.source +
                     ".\n"
                     "[Unit]\n"
                     "Description=Redis instance on port %i of preshard\n"
                     "After=network-online.target\n"
                     "Wants=network-online.target\n\n"
                     "[Service]\n"
                     "Type=notify\n"
                     "ExecStart=" +
                     run.options.redis_server + " " + (root / "%i" / "redis.conf").string() +
                     " --supervised systemd\n"
                     "Restart=on-failure\n"
                     "RestartSec=1\n"
                     "TimeoutStopSec=120\n"
                     "LimitNOFILE=10032\n\n"
                     "[Install]\n"
                     "WantedBy=multi-user.target\n";
  std::filesystem::path path = root / "preshard-redis@.service";
  if (!write_atomically(path.string(), unit, why)) {
    run.err << "preshardctl: " << path.string() << ": " << why << "\n";
    return 1;
  }
  std::string ports;
  for (const auto& inst : run.selected)
    ports += " preshard-redis@" + std::to_string(inst.address.port);
  run.out << "wrote " << path.string() << " and the redis.conf of " << run.selected.size()
          << " instance(s)\n"
          << "install: cp " << path.string() << " /etc/systemd/system/ && systemctl daemon-reload\n"
          << "start:   systemctl enable --now" << ports << "\n"
          << "(then start them with systemd only, not with preshardctl instances start)\n";
  return 0;
}

}  // namespace preshard::ctl::instances
