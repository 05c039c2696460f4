#include "preshard/ctl/manifest.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "preshard/ctl/instance_ops.hpp"

namespace preshard::ctl {

using nlohmann::json;

std::string shard_file_name(size_t shard) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "shard-%03zu.rdb", shard);
  return buf;
}

std::string utc_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%FT%T", &tm);
  return std::string(buf) + "." + std::to_string(1000 + ms.count()).substr(1) + "Z";
}

std::string manifest_json(const Manifest& m) {
  json shards = json::array();
  for (const auto& s : m.shards) {
    shards.push_back({{"shard", s.shard},
                      {"file", s.file},
                      {"address", s.address},
                      {"redis_version", s.redis_version},
                      {"rdb_header", s.rdb_header},
                      {"bytes", s.bytes},
                      {"sha256", s.sha256},
                      {"keys", s.keys},
                      {"expires", s.expires},
                      {"replid", s.replid},
                      {"repl_offset", s.repl_offset},
                      {"started", s.started},
                      {"finished", s.finished}});
  }
  json j = {{"format", m.format},         {"created_by", m.created_by},
            {"config", m.config},         {"started", m.started},
            {"finished", m.finished},     {"instances", m.instances},
            {"consistent", m.consistent}, {"paused_proxies", m.paused_proxies},
            {"pause_ms", m.pause_ms},     {"shards", shards}};
  return j.dump(2) + "\n";
}

Manifest parse_manifest(const std::string& text) {
  Manifest m;
  try {
    json j = json::parse(text);
    m.format = j.at("format").get<int>();
    if (m.format != 1)
      throw Failure("manifest.json: format " + std::to_string(m.format) +
                    " is not one this preshardctl reads (1)");
    m.created_by = j.at("created_by").get<std::string>();
    m.config = j.at("config").get<std::string>();
    m.started = j.at("started").get<std::string>();
    m.finished = j.at("finished").get<std::string>();
    m.instances = j.at("instances").get<std::vector<std::string>>();
    m.consistent = j.at("consistent").get<bool>();
    m.paused_proxies = j.at("paused_proxies").get<std::vector<std::string>>();
    m.pause_ms = j.at("pause_ms").get<double>();
    for (const auto& s : j.at("shards")) {
      ShardEntry e;
      e.shard = s.at("shard").get<size_t>();
      e.file = s.at("file").get<std::string>();
      e.address = s.at("address").get<std::string>();
      e.redis_version = s.at("redis_version").get<std::string>();
      e.rdb_header = s.at("rdb_header").get<std::string>();
      e.bytes = s.at("bytes").get<uint64_t>();
      e.sha256 = s.at("sha256").get<std::string>();
      e.keys = s.at("keys").get<long long>();
      e.expires = s.at("expires").get<long long>();
      e.replid = s.at("replid").get<std::string>();
      e.repl_offset = s.at("repl_offset").get<long long>();
      e.started = s.at("started").get<std::string>();
      e.finished = s.at("finished").get<std::string>();
      m.shards.push_back(std::move(e));
    }
  } catch (const json::exception& e) {
    throw Failure(std::string("manifest.json: ") + e.what());
  }
  if (m.shards.size() != m.instances.size()) {
    throw Failure("manifest.json: " + std::to_string(m.shards.size()) + " shards for " +
                  std::to_string(m.instances.size()) + " instances");
  }
  for (size_t i = 0; i < m.shards.size(); ++i) {
    if (m.shards[i].shard != i || m.shards[i].file != shard_file_name(i)) {
      throw Failure("manifest.json: entry " + std::to_string(i) + " is shard " +
                    std::to_string(m.shards[i].shard) + " in " + m.shards[i].file +
                    " (expected shard " + std::to_string(i) + " in " + shard_file_name(i) + ")");
    }
  }
  return m;
}

}  // namespace preshard::ctl
