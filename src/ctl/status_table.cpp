#include "preshard/ctl/status_table.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <iterator>

#include "preshard/ctl/redis_client.hpp"

namespace preshard::ctl {

namespace {

long long number(const std::map<std::string, std::string>& info, const std::string& key) {
  auto it = info.find(key);
  return it == info.end() ? 0 : std::atoll(it->second.c_str());
}

std::string text(const std::map<std::string, std::string>& info, const std::string& key) {
  auto it = info.find(key);
  return it == info.end() ? "" : it->second;
}

// "ip=10.0.0.2,port=7000,state=online,offset=42,lag=0" -> the value of `key`.
std::string subfield(const std::string& s, const std::string& key) {
  size_t at = ("," + s).find("," + key + "=");
  if (at == std::string::npos) return "";
  size_t start = at + key.size() + 1;
  return s.substr(start, s.find(',', start) - start);
}

}  // namespace

ShardStatus status_from_info(size_t shard, const std::string& address,
                             const std::map<std::string, std::string>& info, long long now) {
  ShardStatus s;
  s.shard = shard;
  s.address = address;
  s.up = true;
  s.role = text(info, "role");
  if (s.role == "master") {
    long long n = number(info, "connected_slaves");
    long long lag = -1;
    for (long long i = 0; i < n; ++i) {
      std::string r = text(info, "slave" + std::to_string(i));
      if (!r.empty()) lag = std::max(lag, std::atoll(subfield(r, "lag").c_str()));
    }
    s.link = n == 0 ? "no replica"
                    : std::to_string(n) + (n == 1 ? " replica" : " replicas") + ", lag " +
                          std::to_string(std::max(lag, 0LL)) + "s";
  } else {
    s.link = "master " + text(info, "master_host") + ":" + text(info, "master_port") + " " +
             text(info, "master_link_status");
  }
  s.used_memory = static_cast<uint64_t>(number(info, "used_memory"));
  s.maxmemory = static_cast<uint64_t>(number(info, "maxmemory"));
  s.keys = keyspace_keys(info);
  s.ops_per_sec = number(info, "instantaneous_ops_per_sec");
  s.clients = number(info, "connected_clients");
  // rdb_saves counts the snapshots since start; "never" when there was none.
  s.last_save_age =
      number(info, "rdb_saves") > 0 ? std::max(0LL, now - number(info, "rdb_last_save_time")) : -1;
  s.last_save_failed = text(info, "rdb_last_bgsave_status") == "err";
  if (number(info, "aof_enabled") == 0) {
    s.aof = "off";
  } else if (text(info, "aof_last_write_status") == "err" ||
             text(info, "aof_last_bgrewrite_status") == "err") {
    s.aof = "error";
  } else {
    s.aof = number(info, "aof_rewrite_in_progress") ? "rewriting" : "on";
  }
  return s;
}

StatusSummary summarize(const std::vector<ShardStatus>& rows) {
  StatusSummary sum;
  sum.shards = rows.size();
  for (const auto& r : rows) {
    if (!r.up) continue;
    ++sum.up;
    sum.keys += r.keys;
    sum.ops_per_sec += r.ops_per_sec;
    sum.used_memory += r.used_memory;
  }
  return sum;
}

std::string render_status_table(const std::vector<ShardStatus>& rows) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-5s %-21s %-5s %-6s %-28s %-17s %9s %7s %7s %-12s %s\n",
                "SHARD", "ADDRESS", "STATE", "ROLE", "REPLICATION", "MEMORY", "KEYS", "OPS/S",
                "CLIENTS", "LAST SAVE", "AOF");
  out += line;
  for (const auto& r : rows) {
    if (!r.up) {
      std::snprintf(line, sizeof line, "%-5zu %-21s %-5s %s\n", r.shard, r.address.c_str(), "down",
                    r.error.c_str());
      out += line;
      continue;
    }
    std::string mem =
        human_bytes(r.used_memory) + (r.maxmemory ? " / " + human_bytes(r.maxmemory) : " / no max");
    std::string save = r.last_save_age < 0 ? "never" : std::to_string(r.last_save_age) + "s ago";
    if (r.last_save_failed) save += " FAILED";
    std::snprintf(line, sizeof line,
                  "%-5zu %-21s %-5s %-6s %-28s %-17s %9lld %7lld %7lld %-12s %s\n", r.shard,
                  r.address.c_str(), "up", r.role.c_str(), r.link.c_str(), mem.c_str(), r.keys,
                  r.ops_per_sec, r.clients, save.c_str(), r.aof.c_str());
    out += line;
  }
  StatusSummary s = summarize(rows);
  out += "shards up: " + std::to_string(s.up) + " of " + std::to_string(s.shards) +
         "; keys: " + std::to_string(s.keys) + "; memory: " + human_bytes(s.used_memory) +
         "; ops/s: " + std::to_string(s.ops_per_sec) + "\n";
  return out;
}

std::string render_status_json(const std::vector<ShardStatus>& rows) {
  nlohmann::json shards = nlohmann::json::array();
  for (const auto& r : rows) {
    nlohmann::json j = {{"shard", r.shard}, {"address", r.address}, {"up", r.up}};
    if (!r.up) {
      j["error"] = r.error;
    } else {
      j.update({{"role", r.role},
                {"replication", r.link},
                {"used_memory", r.used_memory},
                {"maxmemory", r.maxmemory},
                {"keys", r.keys},
                {"ops_per_sec", r.ops_per_sec},
                {"connected_clients", r.clients},
                {"last_save_age_seconds",
                 r.last_save_age < 0 ? nlohmann::json() : nlohmann::json(r.last_save_age)},
                {"last_save_failed", r.last_save_failed},
                {"aof", r.aof}});
    }
    shards.push_back(std::move(j));
  }
  StatusSummary s = summarize(rows);
  nlohmann::json out = {{"shards", shards},
                        {"summary",
                         {{"shards", s.shards},
                          {"up", s.up},
                          {"keys", s.keys},
                          {"used_memory", s.used_memory},
                          {"ops_per_sec", s.ops_per_sec}}}};
  return out.dump(2) + "\n";
}

}  // namespace preshard::ctl
