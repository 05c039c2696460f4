// One shard of a restore: the archive's RDB loaded by a temporary local redis-server, its keys
// copied to the target with DUMP / RESTORE ABSTTL (outbound connections only).
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "preshard/ctl/config_edit.hpp"
#include "preshard/ctl/instance_ops.hpp"
#include "preshard/ctl/instance_process.hpp"
#include "preshard/ctl/redis_client.hpp"
#include "restore_impl.hpp"

namespace preshard::ctl::restore_steps {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

std::string local_redis_version(const std::string& redis_server) {
  std::string out;
  int rc = run_capture({redis_server, "--version"}, out);
  size_t at = out.find("v=");
  if (rc != 0 || at == std::string::npos) throw Failure("cannot run " + redis_server + ": " + out);
  return out.substr(at + 2, out.find(' ', at) - at - 2);
}

namespace {

// The temporary instance: no TCP port, no persistence; stopped and removed on every way out.
class TempServer {
 public:
  TempServer(const Options& o, const fs::path& dir, size_t shard)
      // A unix socket path must fit in 108 bytes: the work directory's may not.
      : dir_(dir),
        socket_(fs::temp_directory_path() / ("preshardctl-" + std::to_string(getpid()) + "-" +
                                             std::to_string(shard) + ".sock")) {
    std::string conf = "port 0\nunixsocket " + socket_.string() + "\nunixsocketperm 700\ndir " +
                       dir.string() +
                       "\ndbfilename dump.rdb\nappendonly no\nsave \"\"\ndaemonize no\n"
                       "logfile " +
                       (dir / "redis.log").string() + "\n";
    std::string why;
    if (!write_atomically((dir / "redis.conf").string(), conf, why)) throw Failure(why);
    pid_ = spawn_redis(o.redis_server, dir / "redis.conf", dir / "redis.out", why);
    if (pid_ < 0) throw Failure(why);
  }
  ~TempServer() {
    if (process_alive(pid_)) {
      client().command({"SHUTDOWN", "NOSAVE"});
      for (int i = 0; i < 500 && process_alive(pid_); ++i)
        std::this_thread::sleep_for(milliseconds(10));
      if (process_alive(pid_)) kill(pid_, SIGKILL);
      process_alive(pid_);  // reaps it
    }
    std::error_code ec;
    fs::remove(socket_, ec);
  }
  RedisClient client() const {
    return RedisClient(config::Endpoint{socket_.string(), 0}, milliseconds(30'000));
  }
  // Waits until it has loaded the RDB; throws with its own words if it could not.
  void wait_loaded(milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (!process_alive(pid_)) {
        std::string said = tail_lines(dir_ / "redis.log", 3);
        throw Failure("the temporary redis-server exited: " +
                      (said.empty() ? tail_lines(dir_ / "redis.out", 3) : said));
      }
      Reply r = client().command({"PING"});
      if (r.ok()) return;
      if (std::chrono::steady_clock::now() > deadline)
        throw Failure("the temporary redis-server did not load the RDB in time");
      std::this_thread::sleep_for(milliseconds(20));
    }
  }

 private:
  fs::path dir_, socket_;
  pid_t pid_ = -1;
};

void check_replies(const std::vector<Reply>& replies, const std::string& what) {
  for (const auto& r : replies) {
    if (!r.ok()) throw Failure(what + ": " + r.str);
  }
}

}  // namespace

ShardResult restore_shard(const Options& o, const config::Config& c, const ShardEntry& entry,
                          const fs::path& dir) {
  auto t0 = std::chrono::steady_clock::now();
  ShardResult res;
  TempServer temp(o, dir, entry.shard);
  temp.wait_loaded(o.timeout);
  RedisClient src = temp.client();
  auto persistence = info_or_fail(src, "persistence");
  res.loaded = offset(persistence, "rdb_last_load_keys_loaded");
  res.expired_on_load = offset(persistence, "rdb_last_load_keys_expired");
  if (res.loaded + res.expired_on_load != entry.keys) {
    throw Failure("the snapshot loaded " + std::to_string(res.loaded) + " keys (+" +
                  std::to_string(res.expired_on_load) + " expired), the manifest says " +
                  std::to_string(entry.keys));
  }
  std::string pass = c.redis.password();
  RedisClient dst(c.instances[entry.shard], o.timeout, "", pass);
  if (o.force) expect_ok(dst, {"FLUSHALL", "SYNC"});
  std::vector<std::string> dbs;
  keyspace_keys(info_or_fail(src, "keyspace"), &dbs);
  for (const auto& db : dbs) {
    expect_ok(src, {"SELECT", db});
    expect_ok(dst, {"SELECT", db});
    std::string cursor = "0";
    do {
      Reply r = src.command({"SCAN", cursor, "COUNT", std::to_string(o.batch)});
      if (r.type != Reply::Type::kArray || r.elements.size() != 2) throw Failure("SCAN: " + r.str);
      cursor = r.elements[0].str;
      std::vector<std::vector<std::string>> reads, writes;
      for (const auto& k : r.elements[1].elements) {
        reads.push_back({"DUMP", k.str});
        reads.push_back({"PEXPIRETIME", k.str});
      }
      auto got = src.pipeline(reads);
      check_replies(got, "DUMP");
      for (size_t i = 0; i + 1 < got.size(); i += 2) {
        if (got[i].type != Reply::Type::kString) continue;  // expired since the load
        long long at = got[i + 1].integer > 0 ? got[i + 1].integer : 0;
        writes.push_back(
            {"RESTORE", reads[i][1], std::to_string(at), got[i].str, "ABSTTL", "REPLACE"});
      }
      check_replies(dst.pipeline(writes), c.instances[entry.shard].to_string() + ": RESTORE");
      res.restored += static_cast<long long>(writes.size());
    } while (cursor != "0");
  }
  expect_ok(dst, {"SELECT", "0"});
  long long now_src = keyspace_keys(info_or_fail(src, "keyspace"));
  long long now_dst = keyspace_keys(info_or_fail(dst, "keyspace"));
  if (now_dst != now_src) {
    throw Failure("the instance holds " + std::to_string(now_dst) +
                  " keys after the restore, the snapshot " + std::to_string(now_src));
  }
  res.ms = ms_since(t0);
  return res;
}

}  // namespace preshard::ctl::restore_steps
