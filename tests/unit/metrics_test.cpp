#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "preshard/core/reply_queue.hpp"
#include "preshard/metrics/instance_info.hpp"
#include "preshard/metrics/report.hpp"
#include "preshard/stats/histogram.hpp"
#include "preshard/stats/stats.hpp"

using namespace preshard;
using stats::Buckets;

TEST_CASE("histogram buckets are contiguous, ordered and within 25% of their values") {
  uint64_t lower = 0;
  for (size_t b = 0; b + 1 < Buckets::kCount; ++b) {
    uint64_t upper = Buckets::upper(b);
    REQUIRE(upper > lower);
    CHECK(Buckets::of(lower) == b);
    CHECK(Buckets::of(upper - 1) == b);
    CHECK(Buckets::of(upper) == b + 1);
    if (lower >= 4) CHECK(static_cast<double>(upper - lower) <= 0.25 * static_cast<double>(lower));
    lower = upper;
  }
  CHECK(Buckets::of(~0ull) == Buckets::kCount - 1);
  // Every exported bound is a bucket bound, so the cumulative counts are exact.
  for (uint64_t bound : stats::kExportBoundsUs)
    CHECK(Buckets::upper(Buckets::of(bound) - 1) == bound);
}

TEST_CASE("histogram counts below a bound and estimates percentiles") {
  stats::RecordingHistogram rec;
  for (uint64_t us = 1; us <= 1000; ++us) rec.record(us);
  stats::Histogram h;
  rec.add_to(h);
  CHECK(h.count == 1000);
  CHECK(h.sum_us == 500500);
  CHECK(h.count_below(10) == 9);
  CHECK(h.count_below(640) == 639);
  CHECK(h.percentile_us(0.5) == Approx(500).epsilon(0.13));
  CHECK(h.percentile_us(0.99) == Approx(990).epsilon(0.13));
  CHECK(h.percentile_us(1.0) <= 1024);
  stats::Histogram twice = h;
  twice.merge(h);
  CHECK(twice.count == 2000);
  CHECK(twice.percentile_us(0.5) == Approx(h.percentile_us(0.5)).epsilon(0.01));
  CHECK(stats::Histogram{}.percentile_us(0.99) == 0);
}

TEST_CASE("a histogram holds no buckets until its first value, and resets") {
  // A worker keeps one per command row and one per shard: unused ones must cost a pointer, not
  // 1.1 KB of zeros each (idle RSS).
  STATIC_REQUIRE(sizeof(stats::RecordingHistogram) == sizeof(void*));
  STATIC_REQUIRE(sizeof(stats::CommandCounters) <= 64);
  stats::RecordingHistogram rec;
  stats::Histogram h;
  rec.add_to(h);
  rec.reset();
  CHECK(h.count == 0);
  rec.record(7);
  rec.record(7000);
  rec.add_to(h);
  CHECK(h.count == 2);
  CHECK(h.sum_us == 7007);
  rec.reset();
  stats::Histogram after;
  rec.add_to(after);
  CHECK(after.count == 0);
  CHECK(after.sum_us == 0);
}

TEST_CASE("INFO text parses into fields, with keys summed over databases") {
  auto info = metrics::parse_info(
      "# Server\r\nredis_version:7.0.15\r\n\r\n# Memory\r\nused_memory:1024\r\n"
      "maxmemory_policy:noeviction\r\n# Keyspace\r\ndb0:keys=3,expires=1,avg_ttl=0\r\n"
      "db5:keys=10,expires=0,avg_ttl=0\r\n");
  CHECK(info.get("redis_version") == "7.0.15");
  CHECK(info.number("used_memory") == 1024);
  CHECK(info.get("maxmemory_policy") == "noeviction");
  CHECK(info.keys == 13);
  CHECK(info.expires == 1);
  CHECK(info.get("db0").empty());
  CHECK(info.number("absent") == 0);
}

namespace {
metrics::Report sample_report() {
  metrics::Report r;
  r.version = "1.2.3";
  r.error_kinds = {"protocol", "shard_timeout"};
  r.global.total_commands_processed = 7;
  r.global.gather_wait_us = 1500000;
  metrics::CommandReport get{"get", {}};
  get.totals.calls = 5;
  get.totals.failed = 1;
  stats::RecordingHistogram rec;
  for (uint64_t us : {5, 15, 15, 700, 20000}) rec.record(us);
  rec.add_to(get.totals.latency);
  r.commands.push_back(get);
  metrics::ShardReport s;
  s.index = 3;
  s.address = "127.0.0.1:7003";
  s.role = "master";
  s.state = metrics::ShardState::kDown;
  s.totals.errors_by_kind[1] = 2;
  s.replicas = {"127.0.0.2:7003"};
  s.learned = "switch-master";
  s.failovers = 2;
  r.sentinels = 3;
  r.sentinels_up = 2;
  r.shards.push_back(s);
  return r;
}
}  // namespace

TEST_CASE("Prometheus text: base units, _total counters, cumulative buckets, shard labels") {
  std::string text = metrics::prometheus_text(sample_report());
  CHECK(text.find("# TYPE preshard_commands_processed_total "
                  "counter\npreshard_commands_processed_total 7\n") != std::string::npos);
  CHECK(text.find("preshard_gather_wait_seconds_total 1.5\n") != std::string::npos);
  CHECK(text.find("preshard_commands_total{cmd=\"get\"} 5\n") != std::string::npos);
  CHECK(text.find("preshard_commands_failed_total{cmd=\"get\"} 1\n") != std::string::npos);
  CHECK(text.find("preshard_command_duration_seconds_bucket{cmd=\"get\",le=\"1e-05\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("preshard_command_duration_seconds_bucket{cmd=\"get\",le=\"2e-05\"} 3\n") !=
        std::string::npos);
  CHECK(text.find("preshard_command_duration_seconds_bucket{cmd=\"get\",le=\"+Inf\"} 5\n") !=
        std::string::npos);
  CHECK(text.find("preshard_command_duration_seconds_count{cmd=\"get\"} 5\n") != std::string::npos);
  CHECK(
      text.find("preshard_shard_up{shard=\"3\",address=\"127.0.0.1:7003\",role=\"master\"} 0\n") !=
      std::string::npos);
  CHECK(text.find("preshard_shard_errors_total{shard=\"3\",kind=\"shard_timeout\"} 2\n") !=
        std::string::npos);
  CHECK(text.find("preshard_build_info{version=\"1.2.3\"} 1\n") != std::string::npos);
  CHECK(text.find("preshard_shard_failovers_total{shard=\"3\"} 2\n") != std::string::npos);
  CHECK(text.find("\npreshard_sentinels 3\n") != std::string::npos);
  CHECK(text.find("preshard_sentinels_up 2\n") != std::string::npos);
  // Each family is declared once, before its samples.
  size_t type = text.find("# TYPE preshard_command_duration_seconds histogram");
  REQUIRE(type != std::string::npos);
  CHECK(text.find("# TYPE preshard_command_duration_seconds histogram", type + 1) ==
        std::string::npos);
  CHECK(type < text.find("preshard_command_duration_seconds_bucket"));
}

TEST_CASE("/status and /sd list every shard") {
  auto status = nlohmann::json::parse(metrics::status_json(sample_report()));
  REQUIRE(status["shards"].size() == 1);
  CHECK(status["shards"][0]["state"] == "down");
  CHECK(status["shards"][0]["errors"] == 2);
  CHECK(status["totals"]["shards_up"] == 0);
  CHECK(status["totals"]["sentinels_up"] == 2);
  CHECK(status["shards"][0]["learned"] == "switch-master");
  CHECK(status["shards"][0]["failovers"] == 2);
  CHECK(status["shards"][0]["replicas"][0] == "127.0.0.2:7003");
  auto sd = nlohmann::json::parse(metrics::sd_json(sample_report()));
  REQUIRE(sd.size() == 2);
  CHECK(sd[0]["targets"][0] == "127.0.0.1:7003");
  CHECK(sd[0]["labels"]["shard"] == "3");
  CHECK(sd[1]["targets"][0] == "127.0.0.2:7003");
  CHECK(sd[1]["labels"]["role"] == "replica");
}

TEST_CASE("a reply slot gives back the tag of the command it answers") {
  core::ReplyQueue q;
  std::string out;
  uint64_t a = q.reserve(), b = q.reserve();
  q.tag(a, {7, false, 100});
  q.tag(b, {9, true, 200});
  auto tb = q.complete(b, "B", out);
  CHECK(tb.row == 9);
  CHECK(tb.rejected);
  auto ta = q.complete(a, "A", out);
  CHECK(ta.row == 7);
  CHECK(ta.start == 100);
  CHECK(out == "AB");
  uint64_t c = q.reserve();  // a slot reused: untagged until tagged
  CHECK(q.complete(c, "C", out).row == core::SlotTag::kNone);
}
