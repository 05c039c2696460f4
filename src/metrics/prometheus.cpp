// The Prometheus text format (0.0.4): base units (seconds, bytes), _total counters, label sets
// bounded by the command table, N and the error kinds (never a key or a client's address).
#include <array>
#include <charconv>

#include "preshard/metrics/report.hpp"

namespace preshard::metrics {

namespace {

std::string num(double v) {
  std::array<char, 64> buf;
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), r.ptr);
}

std::string escape(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

class Writer {
 public:
  // # HELP and # TYPE, once per family.
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  // name{labels} value; `labels` already formatted (k="v",...) or empty.
  void sample(std::string_view name, const std::string& labels, double value) {
    out_ += name;
    if (!labels.empty()) {
      out_ += '{';
      out_ += labels;
      out_ += '}';
    }
    out_ += ' ';
    out_ += num(value);
    out_ += '\n';
  }
  void sample(std::string_view name, const std::string& labels, uint64_t value) {
    sample(name, labels, static_cast<double>(value));
  }
  // A histogram of µs values, exported in seconds.
  void histogram(const std::string& name, const std::string& labels, const stats::Histogram& h) {
    std::string sep = labels.empty() ? "" : labels + ",";
    for (uint64_t bound : stats::kExportBoundsUs) {
      sample(name + "_bucket", sep + "le=\"" + num(static_cast<double>(bound) / 1e6) + "\"",
             h.count_below(bound));
    }
    sample(name + "_bucket", sep + "le=\"+Inf\"", h.count);
    sample(name + "_sum", labels, static_cast<double>(h.sum_us) / 1e6);
    sample(name + "_count", labels, h.count);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string label(std::string_view k, std::string_view v) {
  return std::string(k) + "=\"" + escape(v) + "\"";
}

// preshard's counter names as Prometheus names: "total_" moved to the end, µs in seconds.
std::string counter_name(std::string_view name, double& scale) {
  std::string n(name);
  scale = 1;
  if (n.rfind("total_", 0) == 0) n = n.substr(6);
  if (n.size() > 3 && n.compare(n.size() - 3, 3, "_us") == 0) {
    n = n.substr(0, n.size() - 3) + "_seconds";
    scale = 1e-6;
  }
  return "preshard_" + n + "_total";
}

void globals(Writer& w, const Report& r) {
  for (const stats::Descriptor& d : stats::descriptors()) {
    uint64_t v = r.global.*d.field;
    if (d.gauge) {
      std::string name = "preshard_" + std::string(d.name);
      w.family(name, "gauge", d.help);
      w.sample(name, "", v);
      continue;
    }
    double scale = 1;
    std::string name = counter_name(d.name, scale);
    w.family(name, "counter", d.help);
    w.sample(name, "", static_cast<double>(v) * scale);
  }
  w.family("preshard_errors_total", "counter", "Error replies given to clients, by kind");
  for (size_t k = 0; k < r.error_kinds.size(); ++k) {
    w.sample("preshard_errors_total", label("kind", r.error_kinds[k]), r.global.errors_by_kind[k]);
  }
  w.family("preshard_error_replies_total", "counter",
           "Error replies given to clients, by error code (Redis's errorstats)");
  for (const auto& [code, n] : r.error_codes) {
    w.sample("preshard_error_replies_total", label("code", code), n);
  }
  w.family("preshard_config_generation", "gauge", "The routing table generation in force");
  w.sample("preshard_config_generation", "", r.config_generation);
  w.family("preshard_reloads_total", "counter", "Config reloads, by result");
  w.sample("preshard_reloads_total", label("result", "ok"), r.reloads);
  w.sample("preshard_reloads_total", label("result", "refused"), r.reload_failures);
  w.family("preshard_build_info", "gauge", "preshard's version");
  w.sample("preshard_build_info", label("version", r.version), uint64_t{1});
  w.family("preshard_sentinels", "gauge", "Redis Sentinels configured (sentinels)");
  w.sample("preshard_sentinels", "", r.sentinels);
  w.family("preshard_sentinels_up", "gauge",
           "Sentinels whose +switch-master events the proxy follows now");
  w.sample("preshard_sentinels_up", "", r.sentinels_up);
  w.family("preshard_uptime_seconds", "gauge", "Seconds since the proxy started");
  w.sample("preshard_uptime_seconds", "", r.uptime_seconds);
}

void commands(Writer& w, const Report& r) {
  struct Col {
    const char* name;
    const char* help;
    uint64_t stats::CommandTotals::*field;
  };
  static const Col cols[] = {
      {"preshard_commands_total", "Commands answered, by command", &stats::CommandTotals::calls},
      {"preshard_commands_failed_total", "Commands answered with an error, by command",
       &stats::CommandTotals::failed},
      {"preshard_commands_rejected_total",
       "Commands refused before they ran (arity, CROSSSHARD, policy), by command",
       &stats::CommandTotals::rejected},
  };
  for (const Col& c : cols) {
    w.family(c.name, "counter", c.help);
    for (const CommandReport& cmd : r.commands) {
      w.sample(c.name, label("cmd", cmd.name), cmd.totals.*c.field);
    }
  }
  w.family("preshard_command_duration_seconds", "histogram",
           "Time from a command's arrival to its reply, as the client sees it");
  for (const CommandReport& cmd : r.commands) {
    if (cmd.totals.latency.count == 0) continue;
    w.histogram("preshard_command_duration_seconds", label("cmd", cmd.name), cmd.totals.latency);
  }
}

void shards(Writer& w, const Report& r) {
  auto each = [&](const char* name, const char* type, const char* help, auto value) {
    w.family(name, type, help);
    for (const ShardReport& s : r.shards)
      w.sample(name, label("shard", std::to_string(s.index)), value(s));
  };
  w.family("preshard_shard_up", "gauge",
           "1 when the shard's instance answered its latest health check (INFO)");
  for (const ShardReport& s : r.shards) {
    std::string l = label("shard", std::to_string(s.index)) + "," + label("address", s.address) +
                    "," + label("role", s.role.empty() ? "unknown" : s.role);
    w.sample("preshard_shard_up", l,
             uint64_t{s.state == ShardState::kUp || s.state == ShardState::kPaused});
  }
  each("preshard_shard_paused", "gauge", "1 while PROXY PAUSE holds the shard's commands",
       [](const ShardReport& s) { return uint64_t{s.paused}; });
  each("preshard_shard_failovers_total", "counter",
       "Times Sentinel moved the shard's master since the proxy started",
       [](const ShardReport& s) { return s.failovers; });
  each("preshard_shard_requests_total", "counter", "Commands sent to the shard",
       [](const ShardReport& s) { return s.totals.requests; });
  each("preshard_shard_in_flight", "gauge", "Commands sent or queued to the shard, not answered",
       [](const ShardReport& s) { return s.totals.in_flight; });
  each("preshard_shard_timeouts_total", "counter", "Commands failed for want of an answer in time",
       [](const ShardReport& s) { return s.totals.timeouts; });
  each("preshard_shard_connections_total", "counter", "Connections made to the shard's instance",
       [](const ShardReport& s) { return s.totals.connections; });
  each("preshard_shard_connect_failures_total", "counter", "Failed connection attempts",
       [](const ShardReport& s) { return s.totals.connect_failures; });
  each("preshard_shard_used_memory_bytes", "gauge", "The instance's used_memory (latest INFO)",
       [](const ShardReport& s) { return s.info.number("used_memory"); });
  each("preshard_shard_keys", "gauge", "Keys on the instance, all databases (latest INFO)",
       [](const ShardReport& s) { return s.info.keys; });
  w.family("preshard_shard_errors_total", "counter",
           "Commands the proxy failed, by shard and kind");
  for (const ShardReport& s : r.shards) {
    for (size_t k = 0; k < r.error_kinds.size(); ++k) {
      if (s.totals.errors_by_kind[k] == 0) continue;
      w.sample("preshard_shard_errors_total",
               label("shard", std::to_string(s.index)) + "," + label("kind", r.error_kinds[k]),
               s.totals.errors_by_kind[k]);
    }
  }
  w.family("preshard_shard_duration_seconds", "histogram",
           "Time from queueing a command for the instance to its reply");
  for (const ShardReport& s : r.shards) {
    w.histogram("preshard_shard_duration_seconds", label("shard", std::to_string(s.index)),
                s.totals.rtt);
  }
}

void process(Writer& w, const Report& r) {
  w.family("process_cpu_seconds_total", "counter", "User and system CPU time spent");
  w.sample("process_cpu_seconds_total", "", r.process.cpu_seconds);
  w.family("process_resident_memory_bytes", "gauge", "Resident memory size");
  w.sample("process_resident_memory_bytes", "", r.process.rss_bytes);
  w.family("process_open_fds", "gauge", "Open file descriptors");
  w.sample("process_open_fds", "", r.process.open_fds);
  w.family("process_max_fds", "gauge", "The limit on open file descriptors");
  w.sample("process_max_fds", "", r.process.max_fds);
  w.family("process_start_time_seconds", "gauge", "Start time since the epoch");
  w.sample("process_start_time_seconds", "", r.process.start_time_seconds);
}

}  // namespace

std::string_view state_name(ShardState s) {
  switch (s) {
    case ShardState::kUp:
      return "up";
    case ShardState::kDown:
      return "down";
    case ShardState::kTimeout:
      return "timeout";
    case ShardState::kPaused:
      return "paused";
    case ShardState::kUnknown:
      break;
  }
  return "unknown";
}

std::string prometheus_text(const Report& r) {
  Writer w;
  globals(w, r);
  commands(w, r);
  shards(w, r);
  process(w, r);
  return w.take();
}

}  // namespace preshard::metrics
