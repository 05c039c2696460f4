#include "preshard/ctl/migrate.hpp"

#include <algorithm>
#include <fstream>
#include <memory>
#include <ostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "preshard/config/config.hpp"
#include "preshard/ctl/config_edit.hpp"
#include "preshard/ctl/redis_client.hpp"

namespace preshard::ctl {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kInstanceTimeout{5'000};
constexpr milliseconds kProxyTimeout{60'000};  // PAUSE waits for the shard's commands in flight
constexpr milliseconds kPoll{20};

// A step that failed: what to tell the operator.
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Failure(path + ": cannot read");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::map<std::string, std::string> info_or_fail(RedisClient& c, const std::string& section) {
  std::string why;
  auto fields = c.info(section, why);
  if (!fields) throw Failure(c.endpoint().to_string() + ": INFO " + section + ": " + why);
  return *fields;
}

std::string field(const std::map<std::string, std::string>& info, const std::string& name) {
  auto it = info.find(name);
  return it == info.end() ? "" : it->second;
}

// A replication offset from INFO; -1 when absent (not replicating yet).
long long offset(const std::map<std::string, std::string>& info, const std::string& name) {
  try {
    return std::stoll(field(info, name));
  } catch (const std::exception&) {
    return -1;
  }
}

void expect_ok(RedisClient& c, const std::vector<std::string>& args) {
  Reply r = c.command(args);
  if (!r.ok()) {
    std::string cmd;
    for (const auto& a : args) cmd += (cmd.empty() ? "" : " ") + a;
    throw Failure(c.endpoint().to_string() + ": " + cmd + ": " + r.str);
  }
}

// "7.0.15" -> 7000015, for comparisons.
long version_number(const std::string& v) {
  long major = 0, minor = 0, patch = 0;
  char dot = 0;
  std::istringstream in(v);
  in >> major >> dot >> minor >> dot >> patch;
  return major * 1'000'000 + minor * 1'000 + patch;
}

struct Move {
  size_t shard;
  config::Endpoint source;
  config::Endpoint target;
  std::unique_ptr<RedisClient> src, tgt;
  bool replicating = false;  // REPLICAOF sent to the target
};

class Migration {
 public:
  Migration(const MigrateOptions& o, std::ostream& out) : o_(o), out_(out) {}

  int run(std::ostream& err);

 private:
  void load();
  void plan();
  void check(Move& m);
  void check_proxies();
  void start_sync(Move& m);
  void wait_synced();
  void wait_streaming(Move& m);
  void flip(Move& m);
  void on_proxies(const std::vector<std::string>& args);
  void reload_proxies();
  void detach(Move& m);

  const MigrateOptions& o_;
  std::ostream& out_;
  config::Config config_;
  std::string text_;  // the config file as it is now
  std::vector<std::unique_ptr<RedisClient>> proxies_;
  std::vector<Move> moves_;
  std::vector<double> pauses_;
  bool backed_up_ = false;
};

void Migration::load() {
  auto loaded = config::load_config_file(o_.config_path);
  if (!loaded.errors.empty()) throw Failure(loaded.errors.front().to_string());
  config_ = std::move(*loaded.config);
  text_ = read_file(o_.config_path);
  std::vector<config::Endpoint> proxies = o_.proxies;
  if (proxies.empty()) proxies.push_back(config_.listen);
  for (const auto& p : proxies) {
    proxies_.push_back(
        std::make_unique<RedisClient>(p, kProxyTimeout, "admin", config_.admin_password));
  }
  std::set<size_t> shards;
  std::set<std::string> targets;
  for (const auto& [shard, target] : o_.moves) {
    if (shard >= config_.instances.size()) {
      throw Failure("shard " + std::to_string(shard) + " does not exist (the config has " +
                    std::to_string(config_.instances.size()) + ")");
    }
    if (!shards.insert(shard).second) throw Failure("shard " + std::to_string(shard) + " twice");
    if (!targets.insert(target.to_string()).second) {
      throw Failure(target.to_string() + " is the target of two shards");
    }
    for (size_t i = 0; i < config_.instances.size(); ++i) {
      if (config_.instances[i] == target) {
        throw Failure(target.to_string() + " already serves shard " + std::to_string(i));
      }
    }
    Move m{shard, config_.instances[shard], target, nullptr, nullptr};
    m.src = std::make_unique<RedisClient>(m.source, kInstanceTimeout);
    m.tgt = std::make_unique<RedisClient>(m.target, kInstanceTimeout);
    moves_.push_back(std::move(m));
  }
}

void Migration::plan() {
  out_ << "plan: " << moves_.size() << " shard(s), config " << o_.config_path << ", proxies";
  for (const auto& p : proxies_) out_ << " " << p->endpoint().to_string();
  out_ << "\n";
  for (const auto& m : moves_) {
    out_ << "  shard " << m.shard << ": " << m.source.to_string() << " -> " << m.target.to_string()
         << "\n";
  }
  out_ << "  each: REPLICAOF source on the target, wait for sync; PROXY PAUSE; wait until the "
          "target's offset equals the source's; REPLICAOF NO ONE on the target; REPLICAOF "
          "target on the source; rewrite the config; PROXY RELOAD; PROXY RESUME\n";
}

void Migration::check(Move& m) {
  auto src = info_or_fail(*m.src, "replication");
  if (field(src, "role") != "master") {
    throw Failure("shard " + std::to_string(m.shard) + ": the source " + m.source.to_string() +
                  " is not a master (role " + field(src, "role") + ")");
  }
  auto tgt = info_or_fail(*m.tgt, "replication");
  if (field(tgt, "role") != "master") {
    throw Failure("shard " + std::to_string(m.shard) + ": the target " + m.target.to_string() +
                  " is already a replica");
  }
  Reply size = m.tgt->command({"DBSIZE"});
  if (size.type != Reply::Type::kInteger) throw Failure(m.target.to_string() + ": " + size.str);
  if (size.integer != 0) {
    throw Failure("shard " + std::to_string(m.shard) + ": the target " + m.target.to_string() +
                  " is not empty (" + std::to_string(size.integer) + " keys)");
  }
  auto sv = field(info_or_fail(*m.src, "server"), "redis_version");
  auto tv = field(info_or_fail(*m.tgt, "server"), "redis_version");
  if (version_number(tv) < version_number(sv)) {
    throw Failure("shard " + std::to_string(m.shard) + ": the target runs Redis " + tv +
                  ", older than the source's " + sv + " (it could not load its data)");
  }
}

void Migration::check_proxies() {
  for (auto& p : proxies_) {
    auto info = info_or_fail(*p, "proxy");
    if (field(info, "instances") != std::to_string(config_.instances.size())) {
      throw Failure(p->endpoint().to_string() + " is not a preshard proxy over " +
                    std::to_string(config_.instances.size()) + " instances");
    }
  }
}

void Migration::start_sync(Move& m) {
  expect_ok(*m.tgt, {"REPLICAOF", m.source.host, std::to_string(m.source.port)});
  m.replicating = true;
}

void Migration::wait_synced() {
  auto start = Clock::now();
  auto last_report = start;
  std::vector<bool> ready(moves_.size(), false);
  size_t left = moves_.size();
  while (left > 0) {
    for (size_t i = 0; i < moves_.size(); ++i) {
      if (ready[i]) continue;
      auto r = info_or_fail(*moves_[i].tgt, "replication");
      auto p = info_or_fail(*moves_[i].tgt, "persistence");
      if (field(r, "master_link_status") == "up" && field(r, "master_sync_in_progress") == "0" &&
          field(p, "loading") == "0") {
        ready[i] = true;
        --left;
        out_ << "shard " << moves_[i].shard << ": " << moves_[i].target.to_string()
             << " in sync with " << moves_[i].source.to_string() << "\n";
      }
    }
    if (left == 0) break;
    if (Clock::now() - start > o_.sync_timeout) {
      throw Failure(std::to_string(left) + " target(s) not in sync after " +
                    std::to_string(o_.sync_timeout.count()) + " ms");
    }
    if (Clock::now() - last_report > std::chrono::seconds(1)) {
      out_ << "syncing: " << moves_.size() - left << "/" << moves_.size() << " ready\n";
      out_.flush();
      last_report = Clock::now();
    }
    std::this_thread::sleep_for(kPoll);
  }
}

void Migration::on_proxies(const std::vector<std::string>& args) {
  for (auto& p : proxies_) expect_ok(*p, args);
}

void Migration::reload_proxies() {
  for (auto& p : proxies_) {
    auto before = std::stoull(field(info_or_fail(*p, "proxy"), "config_generation"));
    expect_ok(*p, {"PROXY", "RELOAD"});
    auto after = info_or_fail(*p, "proxy");
    if (std::stoull(field(after, "config_generation")) <= before ||
        field(after, "last_reload_ok") != "1") {
      throw Failure(p->endpoint().to_string() + ": the reload did not take effect");
    }
  }
}

void Migration::detach(Move& m) {
  if (!m.replicating) return;
  // The target was checked empty: it goes back to that, so the move can be retried.
  m.tgt->command({"REPLICAOF", "NO", "ONE"});
  m.tgt->command({"FLUSHALL"});
  m.replicating = false;
}

void Migration::wait_streaming(Move& m) {
  // Before pausing: the target should be applying the live stream, not just have loaded the
  // snapshot (a diskless master starts streaming on the replica's first ACK, up to a second
  // later), so that the pause only covers the last few writes. Bounded: a target that stays
  // behind is left to the catch-up timeout.
  constexpr milliseconds kMaxWait{2'000};
  auto start = Clock::now();
  long long mark = offset(info_or_fail(*m.src, "replication"), "master_repl_offset");
  while (offset(info_or_fail(*m.tgt, "replication"), "slave_repl_offset") < mark) {
    if (Clock::now() - start > std::min(kMaxWait, o_.sync_timeout)) {
      out_ << "shard " << m.shard << ": the target is still behind; pausing anyway\n";
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

void Migration::flip(Move& m) {
  std::string shard = std::to_string(m.shard);
  std::string old_text = text_;
  wait_streaming(m);
  auto t0 = Clock::now();
  bool fenced = false, rewritten = false;
  try {
    on_proxies({"PROXY", "PAUSE", shard, "TIMEOUT", std::to_string(o_.pause_timeout_ms)});
    // Paused everywhere, nothing new reaches the source: wait until the target has it all.
    while (true) {
      // The target first: equal offsets then mean it has at least what the source had.
      auto t = info_or_fail(*m.tgt, "replication");
      auto s = info_or_fail(*m.src, "replication");
      if (field(t, "master_link_status") == "up" &&
          field(s, "master_repl_offset") == field(t, "slave_repl_offset")) {
        break;
      }
      if (Clock::now() - t0 > o_.catchup_timeout) {
        throw Failure("shard " + shard + ": the target did not catch up within " +
                      std::to_string(o_.catchup_timeout.count()) + " ms");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    expect_ok(*m.tgt, {"REPLICAOF", "NO", "ONE"});
    m.replicating = false;
    // A writer that still reaches the old instance gets READONLY instead of writing into a
    // copy nobody reads any more.
    expect_ok(*m.src, {"REPLICAOF", m.target.host, std::to_string(m.target.port)});
    fenced = true;
    std::string why;
    auto edited = replace_instance(text_, m.shard, m.target.to_string(), why);
    if (!edited) throw Failure(o_.config_path + ": " + why);
    if (!backed_up_) {
      if (!write_atomically(o_.config_path + ".bak", text_, why)) throw Failure(why);
      backed_up_ = true;
    }
    if (!write_atomically(o_.config_path, *edited, why)) throw Failure(why);
    text_ = *edited;
    rewritten = true;
    reload_proxies();
    on_proxies({"PROXY", "RESUME", shard});
  } catch (const Failure&) {
    // Back to the source: the map, its role, and the proxies' table; then resume.
    m.replicating = true;  // whatever it holds now, the target goes back to empty
    if (rewritten) {
      std::string why;
      write_atomically(o_.config_path, old_text, why);
      text_ = old_text;
      for (auto& p : proxies_) p->command({"PROXY", "RELOAD"});
    }
    if (fenced) m.src->command({"REPLICAOF", "NO", "ONE"});
    detach(m);
    for (auto& p : proxies_) p->command({"PROXY", "RESUME", shard});
    throw;
  }
  double paused = ms_since(t0);
  pauses_.push_back(paused);
  out_ << "shard " << m.shard << ": moved " << m.source.to_string() << " -> "
       << m.target.to_string() << ", paused " << paused << " ms\n";
  out_.flush();
}

int Migration::run(std::ostream& err) {
  try {
    load();
    plan();
    if (o_.dry_run) return 0;
    check_proxies();
    for (auto& m : moves_) check(m);
    for (auto& m : moves_) start_sync(m);
    wait_synced();
  } catch (const Failure& f) {
    for (auto& m : moves_) detach(m);
    err << "preshardctl migrate: " << f.what() << "; nothing was moved\n";
    return 1;
  }
  size_t done = 0;
  try {
    for (auto& m : moves_) {
      flip(m);
      ++done;
    }
  } catch (const Failure& f) {
    for (auto& m : moves_) detach(m);
    err << "preshardctl migrate: " << f.what() << "; " << done
        << " shard(s) were moved before it, the others stay where they were\n";
    return 1;
  }
  std::vector<double> sorted = pauses_;
  std::sort(sorted.begin(), sorted.end());
  if (!sorted.empty()) {
    out_ << "moved " << sorted.size() << " shard(s); pause per shard: median "
         << sorted[sorted.size() / 2] << " ms, max " << sorted.back() << " ms\n";
  }
  return 0;
}

}  // namespace

int migrate(const MigrateOptions& options, std::ostream& out, std::ostream& err) {
  Migration m(options, out);
  return m.run(err);
}

}  // namespace preshard::ctl
