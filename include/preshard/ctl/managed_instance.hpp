#pragma once
// An instance that `preshardctl instances` runs on this machine: where its files live and the
// redis.conf it is started with (the config's `redis:` section plus what preshardctl owns).
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "preshard/config/config.hpp"

namespace preshard::ctl {

struct ManagedInstance {
  size_t shard = 0;
  config::Endpoint address;   // as the config names it
  std::string bind;           // the numeric local address it listens on
  std::filesystem::path dir;  // <data root>/<port>: redis.conf, data, pidfile, log
  // Set for a replica: the shard's master, which it starts as a replica of (replicaof).
  std::optional<config::Endpoint> replica_of;

  std::filesystem::path conf() const { return dir / "redis.conf"; }
  std::filesystem::path pidfile() const { return dir / "redis.pid"; }
  std::filesystem::path log() const { return dir / "redis.log"; }
  std::filesystem::path out() const { return dir / "redis.out"; }  // its stdout and stderr
  std::string label() const;  // "shard 3 127.0.0.1:7003", "shard 3 replica 127.0.0.2:7003"
};

// The config's `redis.dir`, absolute: a relative one is taken from the config file's directory.
std::filesystem::path data_root(const config::Config& c);

// The instances of `c` (masters and replicas) whose address is on this machine, restricted to
// the shards of `only` when given. `masters[i]`, when set and one of shard i's instances, is
// its master now (Sentinel's word after a failover): the others start as its replicas. `error`
// is set (and nothing selected) when no instance of a shard of `only` is on this machine, when
// two selected instances share a port (they would share a directory), or when none is local.
struct Selection {
  std::vector<ManagedInstance> instances;
  std::string error;
};
Selection select_local(const config::Config& c, const std::vector<bool>* only,
                       const std::vector<std::optional<config::Endpoint>>* masters = nullptr);

// The redis.conf of `inst`: daemonize no, since preshardctl starts each instance in a session of
// its own and so knows its pid (and, in the foreground, stays its parent).
std::string render_redis_conf(const ManagedInstance& inst, const config::RedisSection& redis,
                              const std::string& source, const config::Credentials& proxy = {});
// The least-privilege ACL user the proxy AUTHs as (backend_user): every key and channel and
// command except @admin and @dangerous, plus what the proxy itself sends (INFO, ROLE). Even a
// script cannot run CONFIG, FLUSHALL, DEBUG... through it. "" without a backend_user.
std::string proxy_user_line(const config::Credentials& proxy);

}  // namespace preshard::ctl
