// INFO's sections that describe the instances (Memory, Persistence, Replication, the version),
// from the shard monitor's latest INFO of each (at most monitor_interval_ms old). A shard that
// did not answer is left out of every sum and named on a shard_errors: line.
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

#include "preshard/proxy/info.hpp"
#include "preshard/proxy/shard_monitor.hpp"

namespace preshard::proxy {

namespace {

void line(std::string& out, const char* key, const std::string& value) {
  out += key;
  out += ':';
  out += value;
  out += "\r\n";
}

struct Answered {
  ShardMonitor::Samples held;  // keeps what infos points at
  std::vector<const metrics::InstanceInfo*> infos;
  std::string missing;  // "3,17": shards without a current answer
};

Answered answered(Context& w) {
  Answered a;
  if (const ShardMonitor::Samples* live = live_info_samples()) {
    a.held = *live;  // this INFO's own answers (info_live.cpp)
  } else if (w.monitor() != nullptr) {
    a.held = w.monitor()->samples();
  } else {
    return a;
  }
  for (size_t i = 0; i < a.held.size(); ++i) {
    if (a.held[i]->ok) {
      a.infos.push_back(&a.held[i]->info);
    } else {
      a.missing += (a.missing.empty() ? "" : ",") + std::to_string(i);
    }
  }
  return a;
}

uint64_t sum(const Answered& a, std::string_view field) {
  uint64_t n = 0;
  for (const auto* i : a.infos) n += i->number(field);
  return n;
}

// The value every instance gives, else `mixed` ("" when none answered).
std::string common(const Answered& a, std::string_view field, const std::string& mixed) {
  std::string v;
  for (size_t k = 0; k < a.infos.size(); ++k) {
    std::string_view x = a.infos[k]->get(field);
    if (k == 0) v = std::string(x);
    if (x != v) return mixed;
  }
  return v;
}

bool is_integer(std::string_view v) {
  if (!v.empty() && v[0] == '-') v.remove_prefix(1);
  return !v.empty() && v.find_first_not_of("0123456789") == std::string_view::npos;
}

// The instances' other fields of `section` that `out` does not have yet (the proxy's own
// lines come first): integers summed, other values when every instance gives the same; the
// rest (ratios, *_human sizes, values that differ) left out rather than made up.
void rest_of_section(std::string& out, const Answered& a, std::string_view section) {
  if (a.infos.empty()) return;
  auto it = a.infos.front()->sections.find(section);
  if (it == a.infos.front()->sections.end()) return;
  for (const std::string& name : it->second) {
    if (name.ends_with("_human") || out.find("\n" + name + ":") != std::string::npos) continue;
    bool integers = true, same = true;
    std::string_view first = a.infos.front()->get(name);
    for (const auto* info : a.infos) {
      std::string_view v = info->get(name);
      integers = integers && is_integer(v);
      same = same && v == first;
    }
    if (integers && !first.empty() && first[0] != '-') {
      line(out, name.c_str(), std::to_string(sum(a, name)));
    } else if (same) {
      line(out, name.c_str(), std::string(first));
    }
  }
}

void shard_errors(std::string& out, const Answered& a) {
  if (!a.missing.empty()) line(out, "shard_errors", a.missing);
}

// "7.0.15" < "7.2.4", number by number.
bool version_less(std::string_view a, std::string_view b) {
  auto parts = [](std::string_view v) {
    std::vector<long> p;
    for (size_t i = 0; i <= v.size();) {
      size_t dot = std::min(v.find('.', i), v.size());
      p.push_back(std::atol(std::string(v.substr(i, dot - i)).c_str()));
      i = dot + 1;
    }
    return p;
  };
  return parts(a) < parts(b);
}

}  // namespace

std::string lowest_instance_version(Context& w) {
  std::string lowest;
  Answered a = answered(w);
  for (const auto* info : a.infos) {
    std::string_view v = info->get("redis_version");
    if (!v.empty() && (lowest.empty() || version_less(v, lowest))) lowest = std::string(v);
  }
  return lowest;
}

void memory_section(Context& w, std::string& out) {
  Answered a = answered(w);
  uint64_t used = sum(a, "used_memory"), rss = sum(a, "used_memory_rss");
  uint64_t peak = sum(a, "used_memory_peak"), max = sum(a, "maxmemory");
  out += "# Memory\r\n";
  line(out, "used_memory", std::to_string(used));
  line(out, "used_memory_human", metrics::human_bytes(used));
  line(out, "used_memory_rss", std::to_string(rss));
  line(out, "used_memory_rss_human", metrics::human_bytes(rss));
  line(out, "used_memory_peak", std::to_string(peak));
  line(out, "used_memory_peak_human", metrics::human_bytes(peak));
  line(out, "used_memory_dataset", std::to_string(sum(a, "used_memory_dataset")));
  line(out, "total_system_memory", common(a, "total_system_memory", "0"));
  line(out, "maxmemory", std::to_string(max));
  line(out, "maxmemory_human", metrics::human_bytes(max));
  line(out, "maxmemory_policy", common(a, "maxmemory_policy", "mixed"));
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, "%.2f",
                used == 0 ? 0.0 : static_cast<double>(rss) / static_cast<double>(used));
  line(out, "mem_fragmentation_ratio", ratio);
  line(out, "instances_reporting", std::to_string(a.infos.size()));
  rest_of_section(out, a, "memory");
  shard_errors(out, a);
}

void persistence_section(Context& w, std::string& out) {
  Answered a = answered(w);
  auto all_ok = [&](std::string_view f) { return common(a, f, "err") == "err" ? "err" : "ok"; };
  auto any = [&](std::string_view f) { return sum(a, f) > 0 ? "1" : "0"; };
  out += "# Persistence\r\n";
  line(out, "loading", any("loading"));
  line(out, "rdb_changes_since_last_save", std::to_string(sum(a, "rdb_changes_since_last_save")));
  line(out, "rdb_bgsave_in_progress", any("rdb_bgsave_in_progress"));
  line(out, "rdb_last_bgsave_status", all_ok("rdb_last_bgsave_status"));
  // 1 only when every instance writes an AOF.
  line(out, "aof_enabled", common(a, "aof_enabled", "0"));
  line(out, "aof_rewrite_in_progress", any("aof_rewrite_in_progress"));
  line(out, "aof_last_write_status", all_ok("aof_last_write_status"));
  rest_of_section(out, a, "persistence");
  shard_errors(out, a);
}

void replication_section(Context& w, std::string& out) {
  Answered a = answered(w);
  out += "# Replication\r\n";
  line(out, "role", "master");  // clients write through the proxy
  line(out, "connected_slaves", std::to_string(sum(a, "connected_slaves")));
  line(out, "instance_roles", common(a, "role", "mixed"));
  shard_errors(out, a);
}

void cpu_section(Context&, std::string& out) {
  rusage self{}, children{}, thread{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  getrusage(RUSAGE_THREAD, &thread);  // the worker answering: Redis's "main thread"
  auto secs = [](const timeval& t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld.%06ld", static_cast<long>(t.tv_sec),
                  static_cast<long>(t.tv_usec));
    return std::string(buf);
  };
  out += "# CPU\r\n";
  line(out, "used_cpu_sys", secs(self.ru_stime));
  line(out, "used_cpu_user", secs(self.ru_utime));
  line(out, "used_cpu_sys_children", secs(children.ru_stime));
  line(out, "used_cpu_user_children", secs(children.ru_utime));
  line(out, "used_cpu_sys_main_thread", secs(thread.ru_stime));
  line(out, "used_cpu_user_main_thread", secs(thread.ru_utime));
}

void instance_stats_lines(Context& w, std::string& out) {
  Answered a = answered(w);
  uint64_t errors = 0;
  for (const auto& [code, n] : stats::error_code_totals(w.state().thread_stats)) errors += n;
  line(out, "total_error_replies", std::to_string(errors));  // the proxy's, to its clients
  for (const char* f : {"keyspace_hits", "keyspace_misses", "expired_keys", "evicted_keys"}) {
    line(out, f, std::to_string(sum(a, f)));
  }
  rest_of_section(out, a, "stats");
  shard_errors(out, a);
}

}  // namespace preshard::proxy
