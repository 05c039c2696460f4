// The proxy's script cache: bounded, least recently used out first, flushed everywhere at once.
#include <catch2/catch.hpp>

#include "preshard/proxy/script_cache.hpp"

using preshard::proxy::ScriptCache;
using preshard::proxy::ScriptStore;

TEST_CASE("the script store keeps bodies by SHA within its bytes, least recently used out") {
  auto store = std::make_shared<ScriptStore>();
  store->put("a", std::string(40, 'a'), 100);
  store->put("b", std::string(40, 'b'), 100);
  CHECK(store->get("a"));  // a is now the most recently used
  store->put("c", std::string(40, 'c'), 100);
  CHECK(store->get("a"));
  CHECK_FALSE(store->get("b"));
  CHECK(store->get("c"));
  // One body larger than the bound is still kept (alone).
  store->put("big", std::string(500, 'x'), 100);
  CHECK(store->get("big"));
  CHECK_FALSE(store->get("a"));
}

TEST_CASE("a worker's cache finds what any worker learnt, in any case, until a flush") {
  auto store = std::make_shared<ScriptStore>();
  ScriptCache one(store), two(store);
  std::string sha = preshard::proxy::script_sha("return 1");
  CHECK(sha == "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
  one.learn(sha, "return 1", 1 << 20);
  const std::string* body = two.find("E0E1F9FABFC9D4800C877A703B823AC0578FF8DB", 1 << 20);
  REQUIRE(body != nullptr);
  CHECK(*body == "return 1");
  uint64_t before = two.generation();
  store->flush();  // SCRIPT FLUSH through another worker
  CHECK(two.generation() == before + 1);
  CHECK(two.find(sha, 1 << 20) == nullptr);  // its local copy went too
  CHECK(preshard::proxy::is_compile_error("-ERR Error compiling script (new function): x\r\n"));
  CHECK_FALSE(preshard::proxy::is_compile_error("-ERR user_script:1: runtime error\r\n"));
}

TEST_CASE("a function library's name and the functions it registers, as FUNCTION LOAD reads") {
  using preshard::proxy::library_name;
  using preshard::proxy::registered_functions;
  std::string code =
      "#!lua name=mylib engine=x\n"
      "redis.register_function('f1', function(keys, args) return 1 end)\n"
      "redis.register_function( \"f2\" , function() return 2 end)\n"
      "redis.register_function{function_name='f3', callback=function() return 3 end,\n"
      "  flags={'no-writes'}}\n"
      "redis.register_function(name_at_run_time, function() return 4 end)\n";
  CHECK(library_name(code) == "mylib");
  CHECK(registered_functions(code) == std::vector<std::string>{"f1", "f2", "f3"});
  CHECK(library_name("redis.register_function('f', g)") == "");
  CHECK(library_name("#!lua\nx") == "");

  preshard::proxy::FunctionLibraries libs;
  preshard::proxy::FunctionCache cache(std::shared_ptr<preshard::proxy::FunctionLibraries>(
      &libs, [](preshard::proxy::FunctionLibraries*) {}));
  CHECK(cache.library_of("f1") == nullptr);
  libs.put(code, 1 << 20);
  REQUIRE(cache.library_of("f3") != nullptr);
  CHECK(cache.library_of("f3")->name == "mylib");
  libs.put("#!lua name=mylib\nredis.register_function('g', h)\n", 1 << 20);  // REPLACE
  CHECK(cache.library_of("f1") == nullptr);
  CHECK(cache.library_of("g") != nullptr);
  libs.put("#!lua name=big\nredis.register_function('b', h)\n", 10);  // over the bound
  CHECK(cache.library_of("b") == nullptr);
  libs.drop("mylib");
  CHECK(cache.library_of("g") == nullptr);
}
