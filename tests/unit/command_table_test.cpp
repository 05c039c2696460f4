#include <catch2/catch.hpp>

#include <set>

#include "preshard/command/command_reply.hpp"
#include "preshard/command/command_table.hpp"
#include "preshard/command/key_finder.hpp"

using namespace preshard::command;
using preshard::resp::Request;

namespace {

std::vector<std::string> keys_of(const Request& req) {
  Lookup lk = lookup(req);
  REQUIRE(lk.status == LookupStatus::kOk);
  std::vector<size_t> idx;
  REQUIRE(find_keys(*lk.spec, req, idx) == KeysStatus::kOk);
  std::vector<std::string> out;
  for (size_t i : idx) out.emplace_back(req[i]);
  return out;
}

KeysStatus keys_status(const Request& req) {
  Lookup lk = lookup(req);
  REQUIRE(lk.status == LookupStatus::kOk);
  std::vector<size_t> idx;
  return find_keys(*lk.spec, req, idx);
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("the table is well formed") {
  const auto& t = CommandTable::get();
  std::set<std::string_view> names;
  for (const CommandSpec* s : t.top_level()) {
    INFO(s->name);
    CHECK(names.insert(s->name).second);
    CHECK(s->arity != 0);
    if (s->op == Op::kContainer) CHECK_FALSE(t.subcommands(s->name).empty());
    if (s->op == Op::kSplit || s->op == Op::kAllShards) {
      CHECK(s->merge != Merge::kNone);
    }
    // Every keyed command must be able to find its keys.
    if (s->op == Op::kKeyed) CHECK((s->first > 0 || s->movable_keys()));
  }
  CHECK(t.top_level().size() >= 240);
}

TEST_CASE("lookup is case-insensitive and checks arity") {
  CHECK(lookup(Request{"GeT", "k"}).status == LookupStatus::kOk);
  CHECK(lookup(Request{"get"}).status == LookupStatus::kWrongArity);
  CHECK(lookup(Request{"nosuch"}).status == LookupStatus::kUnknownCommand);
  CHECK(lookup(Request{"OBJECT", "nosuch", "k"}).status == LookupStatus::kUnknownSubcommand);
  Lookup lk = lookup(Request{"object", "encoding"});
  CHECK(lk.status == LookupStatus::kWrongArity);
  CHECK(lk.spec->name == "object|encoding");
  CHECK(lookup(Request{"OBJECT"}).status == LookupStatus::kWrongArity);
  CHECK(lookup(Request{"config", "set", "x", "y"}).spec->op == Op::kConfigChange);
  CHECK(lookup(Request{"config", "get", "x"}).spec->op == Op::kAllShards);
  // A subcommand's row is not a command name (Redis's #10070).
  CHECK(lookup(Request{"config|get", "x"}).status == LookupStatus::kUnknownCommand);
  CHECK(lookup(Request{"GET|SET"}).status == LookupStatus::kUnknownCommand);
  CHECK(lookup(Request{std::string(200, 'x')}).status == LookupStatus::kUnknownCommand);
}

TEST_CASE("keys at fixed positions") {
  CHECK(keys_of(Request{"GET", "a"}) == Names{"a"});
  CHECK(keys_of(Request{"MSET", "a", "1", "b", "2"}) == Names{"a", "b"});
  CHECK(keys_of(Request{"BLPOP", "a", "b", "0"}) == Names{"a", "b"});
  CHECK(keys_of(Request{"OBJECT", "ENCODING", "k"}) == Names{"k"});
  CHECK(keys_of(Request{"LMOVE", "s", "d", "LEFT", "RIGHT"}) == Names{"s", "d"});
  CHECK(keys_of(Request{"PING"}).empty());
}

TEST_CASE("keys after a count") {
  CHECK(keys_of(Request{"EVAL", "s", "2", "a", "b", "argv"}) == Names{"a", "b"});
  CHECK(keys_of(Request{"EVAL", "s", "0", "argv"}).empty());
  CHECK(keys_of(Request{"ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"}) ==
        Names{"d", "a", "b"});
  CHECK(keys_of(Request{"ZINTER", "2", "a", "b"}) == Names{"a", "b"});
  CHECK(keys_of(Request{"LMPOP", "2", "a", "b", "LEFT"}) == Names{"a", "b"});
  CHECK(keys_of(Request{"BLMPOP", "0", "1", "a", "LEFT"}) == Names{"a"});
  CHECK(keys_status(Request{"EVAL", "s", "3", "a"}) == KeysStatus::kMalformed);
  CHECK(keys_status(Request{"EVAL", "s", "x"}) == KeysStatus::kMalformed);
  CHECK(keys_status(Request{"ZUNIONSTORE", "d", "0", "a"}) == KeysStatus::kMalformed);
  CHECK(keys_status(Request{"SINTERCARD", "-1", "a"}) == KeysStatus::kMalformed);
}

TEST_CASE("keys of XREAD, SORT and GEORADIUS") {
  CHECK(keys_of(Request{"XREAD", "COUNT", "2", "STREAMS", "a", "b", "0", "0"}) == Names{"a", "b"});
  CHECK(keys_of(Request{"XREADGROUP", "GROUP", "g", "c", "NOACK", "STREAMS", "s", ">"}) ==
        Names{"s"});
  CHECK(keys_status(Request{"XREAD", "STREAMS", "a", "b", "0"}) == KeysStatus::kMalformed);
  CHECK(keys_status(Request{"XREAD", "BOGUS", "STREAMS", "a", "0"}) == KeysStatus::kMalformed);
  CHECK(keys_of(Request{"SORT", "l", "BY", "store", "LIMIT", "0", "1", "STORE", "d"}) ==
        Names{"l", "d"});
  CHECK(keys_of(Request{"SORT", "l", "GET", "#"}) == Names{"l"});
  CHECK(keys_of(Request{"GEORADIUS", "g", "0", "0", "1", "km", "STORE", "d"}) == Names{"g", "d"});
  CHECK(keys_of(Request{"GEORADIUSBYMEMBER", "g", "m", "1", "km", "STOREDIST", "d"}) ==
        Names{"g", "d"});
}

TEST_CASE("COMMAND GETKEYS answers from the table") {
  std::string out;
  preshard::resp::ReplyWriter w(out);
  reply_command(Request{"COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"}, w);
  CHECK(out == "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  out.clear();
  reply_command(Request{"COMMAND", "GETKEYS", "GET", "x", "y"}, w);
  CHECK(out == "-ERR Invalid number of arguments specified for command\r\n");
  out.clear();
  reply_command(Request{"COMMAND", "GETKEYS", "PING", "x"}, w);
  CHECK(out == "-ERR The command has no key arguments\r\n");
  out.clear();
  reply_command(Request{"COMMAND", "GETKEYS", "EVAL", "s", "0"}, w);
  CHECK(out == "*0\r\n");
  out.clear();
  reply_command(Request{"COMMAND", "GETKEYS", "NOPE"}, w);
  CHECK(out == "-ERR Invalid command specified\r\n");
  out.clear();
  reply_command(Request{"COMMAND", "COUNT"}, w);
  CHECK(out == ":" + std::to_string(CommandTable::get().top_level().size()) + "\r\n");
}

TEST_CASE("XREAD options are scanned up to STREAMS") {
  auto o =
      scan_xread_options(Request{"XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "block", "0"});
  CHECK(o.block);
  CHECK(o.streams_at == 5);
  // A stream named "block" is a key, not the option.
  o = scan_xread_options(Request{"XREAD", "STREAMS", "block", "0"});
  CHECK_FALSE(o.block);
  CHECK(o.streams_at == 1);
  o = scan_xread_options(
      Request{"XREADGROUP", "GROUP", "g", "c", "BLOCK", "10", "STREAMS", "s", ">"});
  CHECK(o.block);
  CHECK(o.streams_at == 6);
}
