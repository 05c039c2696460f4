#include <catch2/catch.hpp>

#include "preshard/core/errors.hpp"

using namespace preshard::core;
using preshard::resp::Request;

TEST_CASE("unknown command text matches Redis") {
  CHECK(errors::unknown_command(Request{"FOO", "bar"}) ==
        "ERR unknown command 'FOO', with args beginning with: 'bar' ");
  CHECK(errors::unknown_command(Request{"baz"}) ==
        "ERR unknown command 'baz', with args beginning with: ");
  CHECK(errors::unknown_command(Request{"foo", "a\r\nb"}) ==
        "ERR unknown command 'foo', with args beginning with: 'a  b' ");
  // Arguments are echoed up to about 128 bytes, like Redis.
  std::string long_arg(200, 'x');
  std::string e = errors::unknown_command(Request{"f", long_arg, "y"}).text;
  CHECK(e == "ERR unknown command 'f', with args beginning with: '" + std::string(128, 'x') + "' ");
}

TEST_CASE("subcommand and arity texts") {
  CHECK(errors::unknown_subcommand(Request{"object", "foo"}) ==
        "ERR unknown subcommand 'foo'. Try OBJECT HELP.");
  CHECK(errors::wrong_arity("get") == "ERR wrong number of arguments for 'get' command");
  CHECK(errors::shard_unavailable(7, "connection refused") ==
        "ERR shard 7 is unavailable (connection refused)");
}

TEST_CASE("every error has a kind with a name, and the kinds fit the stats slots") {
  CHECK(errors::kCrossShard.kind == errors::Kind::kCrossShard);
  CHECK(errors::shard_timeout(3, 1000).kind == errors::Kind::kShardTimeout);
  CHECK(errors::wrong_arity("get").kind == errors::Kind::kWrongArity);
  CHECK(errors::kind_name(errors::Kind::kShardUnavailable) == "shard_unavailable");
  CHECK(errors::kind_name(errors::Kind::kProxy) == "proxy");
  STATIC_REQUIRE(errors::kKindCount <= 32);  // stats::kErrorKindSlots
}

TEST_CASE("texts that echo input stay on one line") {
  CHECK(errors::protocol("Protocol error: x\r\ny").text == "ERR Protocol error: x  y");
  CHECK(errors::hello_option("a\nb").text == "ERR Syntax error in HELLO option 'a b'");
  CHECK(errors::command_unknown_subcommand("x\ry").text ==
        "ERR unknown subcommand 'x y'. Try COMMAND HELP.");
}

TEST_CASE("a refused EXEC aborts with the refusal in its text, as Redis's execCommandAbort") {
  CHECK(errors::exec_refused(errors::wrong_arity("exec")).text ==
        "EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' "
        "command");
  CHECK(errors::exec_refused(errors::wrong_arity("exec")).kind == errors::Kind::kTransaction);
}
