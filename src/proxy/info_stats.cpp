// INFO's Commandstats, Errorstats and Latencystats: the proxy's own view, as a client sees it.
#include <cstdio>

#include "preshard/command/command_table.hpp"
#include "preshard/proxy/info.hpp"

namespace preshard::proxy {

namespace {
std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}
}  // namespace

void commandstats_section(Context& w, std::string& out) {
  out += "# Commandstats\r\n";
  const command::CommandTable& table = command::CommandTable::get();
  auto totals = stats::command_totals(w.state().thread_stats);
  for (size_t i = 0; i < totals.size(); ++i) {
    const stats::CommandTotals& t = totals[i];
    if (t.calls == 0 && t.rejected == 0) continue;
    double per_call = t.calls == 0 ? 0 : static_cast<double>(t.usec) / static_cast<double>(t.calls);
    out += "cmdstat_";
    out += table.row(static_cast<uint16_t>(i)).name;
    out += ":calls=" + std::to_string(t.calls) + ",usec=" + std::to_string(t.usec) +
           ",usec_per_call=" + fixed(per_call, 2) +
           ",rejected_calls=" + std::to_string(t.rejected) +
           ",failed_calls=" + std::to_string(t.failed) + "\r\n";
  }
}

void errorstats_section(Context& w, std::string& out) {
  out += "# Errorstats\r\n";
  for (const auto& [code, n] : stats::error_code_totals(w.state().thread_stats)) {
    out += "errorstat_" + code + ":count=" + std::to_string(n) + "\r\n";
  }
}

void latencystats_section(Context& w, std::string& out) {
  out += "# Latencystats\r\n";
  const command::CommandTable& table = command::CommandTable::get();
  auto totals = stats::command_totals(w.state().thread_stats);
  for (size_t i = 0; i < totals.size(); ++i) {
    const stats::Histogram& h = totals[i].latency;
    if (h.count == 0) continue;
    out += "latency_percentiles_usec_";
    out += table.row(static_cast<uint16_t>(i)).name;
    // Redis's default latency-tracking-info-percentiles: 50, 99, 99.9.
    out += ":p50=" + fixed(h.percentile_us(0.5), 3) + ",p99=" + fixed(h.percentile_us(0.99), 3) +
           ",p99.9=" + fixed(h.percentile_us(0.999), 3) + "\r\n";
  }
}

}  // namespace preshard::proxy
