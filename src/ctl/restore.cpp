// preshardctl restore: every check before anything is written (the whole archive, the shard
// count, each target's emptiness, version and whether a proxy serves it), then the shards.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <sstream>

#include "preshard/ctl/archive.hpp"
#include "preshard/ctl/backup.hpp"
#include "preshard/ctl/cli.hpp"
#include "preshard/ctl/instance_ops.hpp"
#include "preshard/ctl/layout.hpp"
#include "preshard/ctl/parallel.hpp"
#include "preshard/ctl/redis_client.hpp"
#include "preshard/ctl/work_dir.hpp"
#include "restore_impl.hpp"

namespace preshard::ctl {

namespace fs = std::filesystem;
using namespace restore_steps;

namespace {

// Shards a reachable proxy serves and has not paused.
std::set<size_t> served_unpaused(const Options& o, const config::Config& c, std::ostream& out) {
  std::vector<config::Endpoint> eps = o.proxies;
  if (eps.empty()) eps.push_back(c.listen);
  std::set<size_t> serving;
  for (const auto& ep : eps) {
    RedisClient p(ep, std::chrono::milliseconds(2000), "admin", c.admin_password);
    std::string why;
    auto info = p.info("proxy", why);
    if (!info) {
      out << "no proxy answers at " << ep.to_string() << " (" << why << "): taken as not serving\n";
      continue;
    }
    std::set<size_t> paused;
    std::stringstream list(field(*info, "paused_shards"));
    for (std::string s; std::getline(list, s, ',');) paused.insert(std::stoul(s));
    for (size_t i = 0; i < c.instances.size(); ++i) {
      if (!paused.count(i)) serving.insert(i);
    }
  }
  return serving;
}

// Every reason to refuse, found before anything is written.
std::vector<std::string> preflight(const Options& o, const config::Config& c, const Manifest& m,
                                   const std::vector<size_t>& shards, std::ostream& out) {
  std::vector<std::string> refusals;
  std::string local = local_redis_version(o.redis_server);
  std::set<size_t> serving = o.force ? std::set<size_t>{} : served_unpaused(o, c, out);
  std::vector<std::string> why(shards.size());
  std::string pass = c.redis.password();
  parallel_for(shards.size(), 32, [&](size_t k) {
    size_t i = shards[k];
    const ShardEntry& e = m.shards[i];
    std::string name = "shard " + std::to_string(i) + " (" + c.instances[i].to_string() + ")";
    if (version_number(local) < version_number(e.redis_version)) {
      why[k] = name + ": its snapshot is from Redis " + e.redis_version + ", the local " +
               o.redis_server + " is " + local + " and cannot load it";
      return;
    }
    RedisClient t(c.instances[i], std::chrono::milliseconds(5000), "", pass);
    std::string err;
    auto server = t.info("server", err);
    auto keyspace = server ? t.info("keyspace", err) : std::nullopt;
    if (!keyspace) {
      why[k] = name + ": unreachable: " + err;
      return;
    }
    std::string v = field(*server, "redis_version");
    if (version_number(v) < version_number(e.redis_version)) {
      why[k] = name + ": runs Redis " + v + ", the snapshot is from " + e.redis_version +
               ": a DUMP payload of a newer Redis does not load into an older one";
      return;
    }
    long long keys = keyspace_keys(*keyspace);
    if (keys > 0 && !o.force) {
      why[k] = name + ": not empty (" + std::to_string(keys) + " keys); --force replaces them";
    } else if (serving.count(i)) {
      why[k] = name + ": a proxy serves it; PROXY PAUSE it first, or --force";
    }
  });
  for (auto& w : why) {
    if (!w.empty()) refusals.push_back(w);
  }
  return refusals;
}

// The selected shards' RDBs, out of the archive into `work`/NNN/dump.rdb (one pass).
void extract(const std::string& input, const std::vector<size_t>& shards, const WorkDir& work) {
  std::set<std::string> wanted;
  for (size_t i : shards) wanted.insert(shard_file_name(i));
  ArchiveReader r(input);
  std::string entry;
  int64_t size = 0;
  std::vector<char> buf(1 << 16);
  while (r.next(entry, size)) {
    if (!wanted.count(entry)) continue;
    fs::path dir = work.path() / entry.substr(6, 3);
    fs::create_directories(dir);
    FILE* f = std::fopen((dir / "dump.rdb").c_str(), "wb");
    if (!f) throw Failure((dir / "dump.rdb").string() + ": cannot write");
    for (size_t n; (n = r.read(buf.data(), buf.size())) > 0;) {
      if (std::fwrite(buf.data(), 1, n, f) != n) {
        std::fclose(f);
        throw Failure((dir / "dump.rdb").string() + ": write failed (disk full?)");
      }
    }
    if (std::fclose(f) != 0) throw Failure((dir / "dump.rdb").string() + ": write failed");
  }
}

int run_restore(const Options& o, std::ostream& out, std::ostream& err) {
  auto loaded = config::load_config_file(o.config_path);
  if (!loaded.config) throw Failure(loaded.errors.front().to_string());
  const config::Config& c = *loaded.config;
  ArchiveCheck check = check_archive(o.input);
  if (!check.problems.empty()) {
    for (const auto& p : check.problems) err << o.input << ": " << p << "\n";
    throw Failure(o.input + " is not sound: nothing was written");
  }
  const Manifest& m = *check.manifest;
  if (m.shards.size() != c.instances.size()) {
    throw Failure("the archive has " + std::to_string(m.shards.size()) + " shards, " +
                  o.config_path + " " + std::to_string(c.instances.size()) +
                  ": nothing was written");
  }
  std::vector<size_t> shards;
  std::string why;
  auto only = o.only.empty()
                  ? std::optional<std::vector<bool>>(std::vector<bool>(c.instances.size(), true))
                  : parse_shard_set(o.only, c.instances.size(), why);
  if (!only) throw Failure("--only: " + why);
  for (size_t i = 0; i < only->size(); ++i) {
    if ((*only)[i]) shards.push_back(i);
  }
  auto refusals = preflight(o, c, m, shards, out);
  if (!refusals.empty()) {
    for (const auto& r : refusals) err << r << "\n";
    throw Failure(std::to_string(refusals.size()) + " shard(s) refused: nothing was written");
  }
  fs::path in = fs::absolute(o.input);
  WorkDir work(in.parent_path() /
               ("." + in.filename().string() + ".restore-" + std::to_string(getpid())));
  extract(o.input, shards, work);
  std::vector<std::string> failures(shards.size());
  std::mutex mu;
  parallel_for(shards.size(), o.parallel, [&](size_t k) {
    size_t i = shards[k];
    try {
      ShardResult r =
          restore_shard(o, c, m.shards[i], work.path() / shard_file_name(i).substr(6, 3));
      std::lock_guard lock(mu);
      out << "shard " << i << " " << c.instances[i].to_string() << ": " << r.restored
          << " keys restored";
      if (r.expired_on_load) out << " (" << r.expired_on_load << " had expired)";
      out << " in " << static_cast<long long>(r.ms) << " ms\n";
    } catch (const std::exception& e) {
      failures[k] =
          "shard " + std::to_string(i) + " (" + c.instances[i].to_string() + "): " + e.what();
    }
  });
  size_t failed = 0;
  for (const auto& f : failures) {
    if (f.empty()) continue;
    ++failed;
    err << f << "\n";
  }
  if (failed)
    throw Failure(std::to_string(failed) + " of " + std::to_string(shards.size()) +
                  " shard(s) failed");
  out << "restored " << shards.size() << " shard(s) from " << o.input << " (taken " << m.started
      << ")\n";
  return 0;
}

}  // namespace

int restore_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Options o;
  auto usage = [&](const std::string& why) {
    err << "preshardctl: restore: " << why << " (preshardctl --help)\n";
    return 2;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string v = i + 1 < args.size() ? args[i + 1] : "";
    if (a == "-c" || a == "--config") {
      o.config_path = v, ++i;
    } else if (a == "-i" || a == "--input") {
      o.input = v, ++i;
    } else if (a == "--only") {
      o.only = v, ++i;
    } else if (a == "--force") {
      o.force = true;
    } else if (a == "--redis-server") {
      o.redis_server = v, ++i;
    } else if (a == "--proxy") {
      std::string why;
      if (!add_proxy(v, o.proxies, why)) return usage("--proxy: " + why);
      ++i;
    } else if (a == "--parallel") {
      long long n = 0;
      if (!positive_number(v, 256, n)) return usage("--parallel: 1 to 256");
      o.parallel = static_cast<size_t>(n), ++i;
    } else {
      return usage("unknown argument '" + a + "'");
    }
  }
  if (o.config_path.empty()) return usage("--config FILE is required");
  if (o.input.empty()) return usage("-i ARCHIVE is required");
  try {
    return run_restore(o, out, err);
  } catch (const std::exception& e) {
    err << "preshardctl: restore: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace preshard::ctl
