// The proxy's SLOWLOG entries and its event log (LATENCY), pure parts.
#include <catch2/catch.hpp>

#include "preshard/core/event_log.hpp"
#include "preshard/core/slowlog.hpp"

using preshard::core::EventLog;
using preshard::core::SlowEntry;
using preshard::core::Slowlog;
using preshard::core::SlowNote;

TEST_CASE("a slowlog note keeps arguments as Redis's slowlog does") {
  SlowNote n;
  SlowEntry e;
  n.capture(1, preshard::resp::Request{"GET", "k"}, {7});
  e.describe(n, 1);
  CHECK(e.argc == 2);
  CHECK(e.argv == "$3\r\nGET\r\n$1\r\nk\r\n");
  CHECK(e.shards == "7");
  // Longer than 128 bytes: cut, with how many more (small enough to be copied whole first).
  n.capture(1, preshard::resp::Request{"SET", "k", std::string(130, 'v')}, {3, 3});
  e.describe(n, 1);
  CHECK(e.argv.find("$146\r\n" + std::string(128, 'v') + "... (2 more bytes)\r\n") !=
        std::string::npos);
  CHECK(e.shards == "3");
  // Large (described at once): the same rule.
  n.capture(1, preshard::resp::Request{"SET", "k", std::string(100000, 'v')}, {});
  e.describe(n, 1);
  CHECK(e.argv.find("... (99872 more bytes)\r\n") != std::string::npos);
  // More than 32 arguments: 31 kept, the 32nd says how many more.
  preshard::resp::Request del{"DEL"};
  for (int i = 0; i < 40; ++i) del.add("k" + std::to_string(i));
  n.capture(1, del, {1, 2, 1});
  e.describe(n, 1);
  CHECK(e.argc == 32);
  CHECK(e.argv.ends_with("$23\r\n... (10 more arguments)\r\n"));
  CHECK(e.argv.find("k29") != std::string::npos);
  CHECK(e.argv.find("k30") == std::string::npos);
  CHECK(e.shards == "1,2");
  // A note kept for another slot says so rather than naming the wrong command.
  e.describe(n, 2);
  CHECK(e.argv == "$9\r\n(unknown)\r\n");
  // Taken (buffers swapped, not copied): the same description; the caller holds the old ones.
  preshard::resp::Request get{"GET", "taken"};
  std::vector<size_t> key_shards{5};
  n.take(1, get, key_shards);
  e.describe(n, 1);
  CHECK(e.argv == "$3\r\nGET\r\n$5\r\ntaken\r\n");
  CHECK(e.shards == "5");
  // Reused: nothing of the earlier command is left.
  n.capture(1, preshard::resp::Request{"PING"}, {});
  e.describe(n, 1);
  CHECK(e.argv == "$4\r\nPING\r\n");
  CHECK(e.shards.empty());
}

TEST_CASE("the slowlog keeps the newest entries, and they read as Redis's") {
  Slowlog log;
  for (uint64_t id = 0; id < 5; ++id) {
    SlowEntry e;
    e.id = id;
    e.unix_seconds = 1700000000;
    e.micros = 12345;
    SlowNote note;
    note.capture(9, preshard::resp::Request{"GET", "k"}, {3});
    e.describe(note, 9);
    e.peer = "127.0.0.1:5000";
    e.name = "app";
    log.add(std::move(e), 3);
  }
  REQUIRE(log.size() == 3);
  CHECK(log.entries().front().id == 4);
  CHECK(log.entries().back().id == 2);
  std::string out;
  preshard::core::append_slow_entry(out, log.entries().front());
  CHECK(out ==
        "*7\r\n:4\r\n:1700000000\r\n:12345\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"
        "$14\r\n127.0.0.1:5000\r\n$3\r\napp\r\n$1\r\n3\r\n");
  log.add(SlowEntry{}, 0);  // slowlog_max_len 0 keeps nothing new
  CHECK(log.size() == 3);
  log.reset();
  CHECK(log.size() == 0);
}

TEST_CASE("LATENCY samples: one per second (the larger), at most 160, a maximum, reset") {
  EventLog log;
  log.add_latency(100, "pause", 5);
  log.add_latency(100, "pause", 9);
  log.add_latency(100, "pause", 7);
  log.add_latency(101, "pause", 3);
  log.add_latency(101, "reload", 2);
  const auto* pause = log.find("pause");
  REQUIRE(pause != nullptr);
  REQUIRE(pause->samples.size() == 2);
  CHECK(pause->samples[0].ms == 9);
  CHECK(pause->samples[1].ms == 3);
  CHECK(pause->max_ms == 9);
  for (int64_t s = 200; s < 400; ++s) log.add_latency(s, "pause", 1);
  CHECK(log.find("pause")->samples.size() == EventLog::kMaxSamples);
  CHECK(log.find("pause")->samples.front().unix_seconds == 240);
  CHECK(log.reset({"pause", "nothing"}) == 1);
  CHECK(log.find("pause") == nullptr);
  CHECK(log.reset({}) == 1);
  CHECK(log.series().empty());
  for (int i = 0; i < 300; ++i) log.add_event(i, "reload", std::to_string(i));
  CHECK(log.events().size() == EventLog::kMaxEvents);
  CHECK(log.events().front().text == "44");
}
