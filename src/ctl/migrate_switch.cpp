// preshardctl migrate: switching each shard to its new instance, with the shard paused on every
// proxy (see migrate.hpp).
#include <algorithm>
#include <thread>

#include "migration.hpp"
#include "preshard/ctl/config_edit.hpp"
#include "preshard/ctl/instance_ops.hpp"
#include "preshard/ctl/parallel.hpp"

namespace preshard::ctl::migration {

// Every proxy at once (the shard is paused meanwhile): the first failure is thrown once all
// have answered.
void Migration::each_proxy(const std::function<void(RedisClient&)>& fn) {
  std::vector<std::string> errors(proxies_.size());
  parallel_for(proxies_.size(), proxies_.size(), [&](size_t i) {
    try {
      fn(*proxies_[i]);
    } catch (const Failure& f) {
      errors[i] = f.what();
    }
  });
  for (const auto& e : errors) {
    if (!e.empty()) throw Failure(e);
  }
}

void Migration::on_proxies(const std::vector<std::string>& args) {
  each_proxy([&](RedisClient& p) { expect_ok(p, args); });
}

void Migration::reload_proxies() {
  each_proxy([](RedisClient& p) {
    auto before = std::stoull(field(info_or_fail(p, "proxy"), "config_generation"));
    expect_ok(p, {"PROXY", "RELOAD"});
    auto after = info_or_fail(p, "proxy");
    if (std::stoull(field(after, "config_generation")) <= before ||
        field(after, "last_reload_ok") != "1") {
      throw Failure(p.endpoint().to_string() + ": the reload did not take effect");
    }
  });
}

void Migration::detach(Move& m) {
  if (!m.replicating) return;
  // The target was checked empty: it goes back to that, so the move can be retried.
  m.tgt->command({"REPLICAOF", "NO", "ONE"});
  m.tgt->command({"FLUSHALL"});
  m.replicating = false;
}

void Migration::promote(Move& m) {
  if (m.switchover && !config_.sentinels.empty()) return promote_by_sentinel(m);
  expect_ok(*m.tgt, {"REPLICAOF", "NO", "ONE"});
  m.replicating = false;
  // A writer that still reaches the old instance gets READONLY instead of writing into a
  // copy nobody reads any more.
  expect_ok(*m.src, {"REPLICAOF", m.target.host, std::to_string(m.target.port)});
}

void Migration::demote(Move& m) {
  m.src->command({"REPLICAOF", "NO", "ONE"});
  // A switchover's target was the source's replica: it goes back to that, data and all.
  if (m.switchover) m.tgt->command({"REPLICAOF", m.source.host, std::to_string(m.source.port)});
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
  // The new entry is made and checked before the pause: only writing it is left inside.
  std::string why;
  auto edited = replace_entry(text_, m.shard, m.target,
                              m.switchover ? m.replicas_after : config_.replicas[m.shard], why);
  if (!edited) throw Failure(o_.config_path + ": " + why);
  wait_streaming(m);
  auto t0 = Clock::now();
  std::vector<double> steps;  // ms since t0 at the end of each step, for the report
  bool fenced = false, rewritten = false;
  sentinel_promoted_ = false;
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
    steps.push_back(ms_since(t0));  // paused and caught up
    fenced = true;                  // from here on, the roles may have changed
    promote(m);
    steps.push_back(ms_since(t0));
    if (!backed_up_) {
      if (!write_atomically(o_.config_path + ".bak", text_, why)) throw Failure(why);
      backed_up_ = true;
    }
    if (!write_atomically(o_.config_path, *edited, why)) throw Failure(why);
    text_ = *edited;
    rewritten = true;
    steps.push_back(ms_since(t0));
    reload_proxies();
    steps.push_back(ms_since(t0));
    on_proxies({"PROXY", "RESUME", shard});
  } catch (const Failure&) {
    if (sentinel_promoted_) {
      // Sentinel has moved the master: the proxies follow it; only the file may be stale.
      for (auto& p : proxies_) p->command({"PROXY", "RESUME", shard});
      throw;
    }
    // Back to the source: the map, its role, and the proxies' table; then resume.
    if (!m.switchover)
      m.replicating = true;  // whatever it holds now, the target goes back to empty
    if (rewritten) {
      write_atomically(o_.config_path, old_text, why);
      text_ = old_text;
      for (auto& p : proxies_) p->command({"PROXY", "RELOAD"});
    }
    if (fenced) demote(m);
    detach(m);
    for (auto& p : proxies_) p->command({"PROXY", "RESUME", shard});
    throw;
  }
  double paused = ms_since(t0);
  pauses_.push_back(paused);
  out_ << "shard " << m.shard << ": moved " << m.source.to_string() << " -> "
       << m.target.to_string() << ", paused " << paused << " ms (caught up " << steps[0]
       << ", promoted " << steps[1] << ", file " << steps[2] << ", reloaded " << steps[3] << ")\n";
  out_.flush();
}

}  // namespace preshard::ctl::migration
