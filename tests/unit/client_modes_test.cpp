#include <catch2/catch.hpp>

#include "preshard/command/client_modes.hpp"
#include "preshard/command/command_table.hpp"

using namespace preshard::command;

namespace {
const CommandSpec& row(std::string_view name) {
  const CommandSpec* s = CommandTable::get().find(name);
  REQUIRE(s != nullptr);
  return *s;
}
}  // namespace

TEST_CASE("inside MULTI: queue what one shard can run, refuse the rest") {
  for (auto name : {"get", "set", "incr", "mget", "mset", "del", "eval", "time", "blpop", "ping",
                    "echo", "unwatch", "xread", "wait", "publish", "spublish"}) {
    INFO(name);
    CHECK(in_multi(row(name)) == InMulti::kQueue);
  }
  for (auto name : {"multi", "exec", "discard", "watch"}) {
    INFO(name);
    CHECK(in_multi(row(name)) == InMulti::kControl);
  }
  CHECK(in_multi(row("quit")) == InMulti::kRunNow);
  CHECK(in_multi(row("reset")) == InMulti::kRunNow);
  for (auto name : {"dbsize", "keys", "flushall", "scan", "subscribe", "info", "select",
                    "client|setname", "config", "shutdown", "script|load"}) {
    INFO(name);
    CHECK(in_multi(row(name)) == InMulti::kRefuse);
  }
}

TEST_CASE("subscribed mode allows exactly Redis's list") {
  size_t allowed = 0;
  for (const CommandSpec* s : CommandTable::get().top_level()) {
    if (allowed_when_subscribed(*s)) ++allowed;
  }
  CHECK(allowed == 9);
  CHECK(allowed_when_subscribed(row("ssubscribe")));
  CHECK(allowed_when_subscribed(row("punsubscribe")));
  CHECK_FALSE(allowed_when_subscribed(row("publish")));
  CHECK_FALSE(allowed_when_subscribed(row("get")));
}
