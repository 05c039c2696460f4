#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "preshard/ctl/status_table.hpp"

using namespace preshard::ctl;

namespace {

std::map<std::string, std::string> master_info() {
  return {{"role", "master"},
          {"connected_slaves", "2"},
          {"slave0", "ip=10.0.0.2,port=7000,state=online,offset=42,lag=0"},
          {"slave1", "ip=10.0.0.3,port=7000,state=online,offset=40,lag=3"},
          {"used_memory", "1572864"},
          {"maxmemory", "104857600"},
          {"db0", "keys=10,expires=1,avg_ttl=5"},
          {"db3", "keys=5,expires=0,avg_ttl=0"},
          {"instantaneous_ops_per_sec", "120"},
          {"connected_clients", "7"},
          {"rdb_saves", "2"},
          {"rdb_last_save_time", "1000"},
          {"rdb_last_bgsave_status", "ok"},
          {"aof_enabled", "1"},
          {"aof_rewrite_in_progress", "0"},
          {"aof_last_write_status", "ok"}};
}

}  // namespace

TEST_CASE("a shard's row comes from its INFO") {
  ShardStatus s = status_from_info(4, "10.0.0.1:7004", master_info(), 1030);
  CHECK(s.up);
  CHECK(s.role == "master");
  CHECK(s.link == "2 replicas, lag 3s");  // the worst replica's lag
  CHECK(s.keys == 15);                    // every db
  CHECK(s.used_memory == 1572864);
  CHECK(s.last_save_age == 30);
  CHECK(s.aof == "on");
  auto info = master_info();
  info["rdb_saves"] = "0";
  info["aof_enabled"] = "0";
  info["connected_slaves"] = "0";
  s = status_from_info(4, "a:1", info, 1030);
  CHECK(s.last_save_age == -1);
  CHECK(s.aof == "off");
  CHECK(s.link == "no replica");
  info = {{"role", "slave"},       {"master_host", "10.0.0.9"},
          {"master_port", "7000"}, {"master_link_status", "down"},
          {"aof_enabled", "1"},    {"aof_last_write_status", "err"}};
  s = status_from_info(1, "a:1", info, 0);
  CHECK(s.link == "master 10.0.0.9:7000 down");
  CHECK(s.aof == "error");
}

TEST_CASE("the table and the JSON carry every row and the summary") {
  std::vector<ShardStatus> rows = {status_from_info(0, "10.0.0.1:7000", master_info(), 1030)};
  ShardStatus down;
  down.shard = 1;
  down.address = "10.0.0.1:7001";
  down.error = "10.0.0.1:7001: Connection refused";
  rows.push_back(down);
  std::string table = render_status_table(rows);
  CHECK(table.find("1.50M / 100.00M") != std::string::npos);
  CHECK(table.find("1     10.0.0.1:7001         down  10.0.0.1:7001: Connection refused") !=
        std::string::npos);
  CHECK(table.find("shards up: 1 of 2; keys: 15; memory: 1.50M; ops/s: 120\n") !=
        std::string::npos);
  auto j = nlohmann::json::parse(render_status_json(rows));
  CHECK(j["summary"]["up"] == 1);
  CHECK(j["shards"][0]["keys"] == 15);
  CHECK(j["shards"][0]["last_save_age_seconds"] == 30);
  CHECK(j["shards"][1]["up"] == false);
  CHECK(j["shards"][1]["error"] == "10.0.0.1:7001: Connection refused");
  CHECK(human_bytes(512) == "512B");
  CHECK(human_bytes(3ull << 30) == "3.00G");
}
