#include <catch2/catch.hpp>

#include "preshard/command/command_table.hpp"
#include "preshard/command/script_check.hpp"

using preshard::command::lookup;
using preshard::command::refused_call;
using preshard::resp::Request;

TEST_CASE("a script calling a refused command by name is found, however it is written") {
  CHECK(refused_call("return redis.call('SWAPDB', 0, 1)") == "swapdb");
  CHECK(refused_call("redis.pcall(\"move\", KEYS[1], 1)") == "move");
  CHECK(refused_call("local r = redis . call ( 'select' , 1 )") == "select");
  CHECK(refused_call("server.call('MIGRATE', '10.0.0.9', 6379, KEYS[1], 0, 1000)") == "migrate");
  CHECK(refused_call("redis.call('SLOWLOG', 'GET')") == "slowlog get");  // the proxy's own
  CHECK(refused_call("redis.call('latency', 'reset')") == "latency reset");
  CHECK(refused_call("redis.call('MEMORY', 'PURGE')") == "memory purge");
  CHECK(refused_call("redis.call('set', 'k', 'v')\nredis.call('PFSELFTEST')") == "pfselftest");
  CHECK(refused_call("redis.call('CONFIG', 'SET', 'maxmemory', '1')") == "config set");
}

TEST_CASE("ordinary scripts and look-alikes pass") {
  CHECK(refused_call("return redis.call('GET', KEYS[1])").empty());
  CHECK(refused_call("redis.call('SET', KEYS[1], 'move')").empty());       // a value, not a call
  CHECK(refused_call("return 'redis.call(\"swapdb\")' .. x").size() > 0);  // text looks like one
  CHECK(refused_call("myredis.call('SWAPDB', 0, 1)").empty());             // not the redis object
  CHECK(refused_call("redis.call(cmd, 0, 1)").empty());  // built at run time: unseen
  CHECK(refused_call("redis.call('MEMORY', 'USAGE', KEYS[1])").empty());
  CHECK(refused_call("redis.call('NOSUCH')").empty());
  CHECK(refused_call("").empty());
  CHECK(refused_call("call call (").empty());
}

TEST_CASE("the rows that carry a script say where it is") {
  auto check = [](const Request& req, const char* expected) {
    auto lk = lookup(req);
    REQUIRE(lk.spec != nullptr);
    CHECK(refused_call(*lk.spec, req) == expected);
  };
  const char* bad = "redis.call('swapdb', 0, 1)";
  check(Request{"EVAL", bad, "0"}, "swapdb");
  check(Request{"EVAL_RO", bad, "0"}, "swapdb");
  check(Request{"SCRIPT", "LOAD", bad}, "swapdb");
  check(Request{"FUNCTION", "LOAD", "REPLACE", bad}, "swapdb");
  check(Request{"FUNCTION", "LOAD", bad}, "swapdb");
  check(Request{"GET", bad}, "");  // not a script
}
