#include <catch2/catch.hpp>

#include "preshard/acl/glob.hpp"
#include "preshard/acl/permission.hpp"
#include "preshard/acl/users.hpp"
#include "preshard/command/command_table.hpp"
#include "preshard/command/key_finder.hpp"

using namespace preshard;
using acl::Denied;

namespace {

acl::User user(std::initializer_list<std::string_view> rules) {
  acl::User u = acl::new_user("u");
  for (auto r : rules) REQUIRE(acl::apply_rule(u, r).empty());
  return u;
}

Denied run(const acl::User& u, std::initializer_list<std::string_view> args) {
  resp::Request req(args);
  command::Lookup lk = command::lookup(req);
  REQUIRE(lk.status == command::LookupStatus::kOk);
  std::vector<size_t> keys;
  REQUIRE(command::find_keys(*lk.spec, req, keys) == command::KeysStatus::kOk);
  return acl::check(u, *lk.spec, lk.id, req, keys);
}

}  // namespace

TEST_CASE("glob matches as Redis's stringmatchlen, binary-safe") {
  using acl::glob_match;
  CHECK(glob_match("app:*", "app:1"));
  CHECK_FALSE(glob_match("app:*", "ap"));
  CHECK(glob_match("*", ""));
  CHECK(glob_match("a?c", "abc"));
  CHECK_FALSE(glob_match("a?c", "ac"));
  CHECK(glob_match("[a-c]x", "bx"));
  CHECK(glob_match("[c-a]x", "bx"));  // a reversed range, as Redis swaps it
  CHECK_FALSE(glob_match("[^a-c]x", "bx"));
  CHECK(glob_match("a\\*b", "a*b"));
  CHECK_FALSE(glob_match("a\\*b", "axb"));
  CHECK(glob_match("*a*b*c*", "xxaxxbxxcxx"));
  CHECK_FALSE(glob_match("*a*b*c*", "xxaxxcxxbxx"));
  // A NUL inside a key is a byte like any other (fnmatch would stop there).
  CHECK_FALSE(glob_match("x", std::string_view("x\0secret", 8)));
  CHECK(glob_match("x*", std::string_view("x\0secret", 8)));
  CHECK(glob_match("A*", "abc", true));
  CHECK_FALSE(glob_match("[", "a"));
  CHECK(glob_match("[^", "a"));  // unterminated: a class of the rest
}

TEST_CASE("rules give Redis's errors") {
  acl::User u = acl::new_user("u");
  CHECK(acl::apply_rule(u, "+nosuch") == "Unknown command or category name in ACL");
  CHECK(acl::apply_rule(u, "+@nosuch") == "Unknown command or category name in ACL");
  CHECK(acl::apply_rule(u, "bogus") == "Syntax error");
  CHECK(acl::apply_rule(u, "%X~a") == "Syntax error");
  CHECK(acl::apply_rule(u, "#abc").find("exactly 64 characters") != std::string::npos);
  CHECK(acl::apply_rule(u, "<nope").find("does not exist") != std::string::npos);
  CHECK(acl::apply_rule(u, "+config|get|x") ==
        "Allowing first-arg of a subcommand is not supported");
  CHECK(acl::apply_rule(u, "+config|") == "Syntax error");
  CHECK(acl::apply_rule(u, "allkeys").empty());
  CHECK(acl::apply_rule(u, "~a").find("'allkeys'") != std::string::npos);
  CHECK(acl::apply_rule(u, "allchannels").empty());
  CHECK(acl::apply_rule(u, "&a").find("'allchannels'") != std::string::npos);
}

TEST_CASE("commands, subcommands and categories") {
  auto u = user({"on", "nopass", "allkeys", "+@read", "-@dangerous", "+config|get", "-get"});
  CHECK(run(u, {"mget", "a", "b"}) == Denied::kNone);
  CHECK(run(u, {"get", "a"}) == Denied::kCommand);
  CHECK(run(u, {"keys", "*"}) == Denied::kCommand);  // @read but @dangerous
  CHECK(run(u, {"config", "get", "x"}) == Denied::kNone);
  CHECK(run(u, {"config", "set", "x", "y"}) == Denied::kCommand);
  CHECK(run(u, {"set", "a", "b"}) == Denied::kCommand);
  CHECK(run(u, {"auth", "x"}) == Denied::kNone);  // NO_AUTH commands: always
  auto all = user({"+@all", "allkeys"});
  CHECK(all.all_commands);
  CHECK(run(all, {"flushall"}) == Denied::kNone);
  acl::apply_rule(all, "-flushall");
  CHECK_FALSE(all.all_commands);  // as Redis: no longer "future commands too"
  CHECK(run(all, {"flushall"}) == Denied::kCommand);
  CHECK(run(all, {"config", "set", "a", "b"}) == Denied::kNone);
  acl::apply_rule(all, "-config");  // a container takes its subcommands with it
  CHECK(run(all, {"config", "get", "a"}) == Denied::kCommand);
}

TEST_CASE("every key against the patterns, by the access each needs") {
  auto u = user({"+@all", "~app:*", "%R~ro:*", "%W~wo:*"});
  CHECK(run(u, {"get", "app:1"}) == Denied::kNone);
  CHECK(run(u, {"get", "ro:1"}) == Denied::kNone);
  CHECK(run(u, {"get", "wo:1"}) == Denied::kKey);
  CHECK(run(u, {"set", "wo:1", "v"}) == Denied::kNone);        // SET writes only...
  CHECK(run(u, {"set", "wo:1", "v", "get"}) == Denied::kKey);  // ...unless GET reads
  CHECK(run(u, {"incr", "wo:1"}) == Denied::kKey);             // INCR reads and writes
  CHECK(run(u, {"lpush", "wo:1", "a"}) == Denied::kNone);
  CHECK(run(u, {"mget", "app:1", "other"}) == Denied::kKey);  // each key of a split command
  CHECK(run(u, {"copy", "ro:1", "wo:1"}) == Denied::kNone);   // source read, destination written
  CHECK(run(u, {"copy", "wo:1", "ro:1"}) == Denied::kKey);
  CHECK(run(u, {"sinterstore", "wo:d", "ro:a", "ro:b"}) == Denied::kNone);
  CHECK(run(u, {"eval", "return 1", "2", "app:1", "x"}) == Denied::kKey);
  CHECK(run(u, {"bitfield", "ro:1", "get", "u8", "0"}) == Denied::kNone);
  CHECK(run(u, {"bitfield", "ro:1", "set", "u8", "0", "1"}) == Denied::kKey);
  CHECK(run(u, {"exists", "wo:1"}) == Denied::kNone);  // neither read nor written
}

TEST_CASE("channels: globs for channels, the same text for patterns") {
  auto u = user({"+@all", "&news.*"});
  CHECK(run(u, {"publish", "news.a", "m"}) == Denied::kNone);
  CHECK(run(u, {"publish", "other", "m"}) == Denied::kChannel);
  CHECK(run(u, {"subscribe", "news.a", "other"}) == Denied::kChannel);
  CHECK(run(u, {"psubscribe", "news.*"}) == Denied::kNone);
  CHECK(run(u, {"psubscribe", "news.a*"}) == Denied::kChannel);
  CHECK(run(u, {"spublish", "other", "m"}) == Denied::kChannel);  // a channel, not a key
}

TEST_CASE("users: requirepass, admin_password, passwords in constant time") {
  acl::UserSources src;
  src.requirepass = "pw";
  src.admin_password = "adm";
  src.users = {"user alice on >a1 >a2 ~* +@all", "", "user off1 off >x +@all"};
  auto b = acl::Users::build(src);
  REQUIRE(b.errors.empty());
  const acl::Users& us = *b.users;
  CHECK(us.auth_required());
  CHECK(us.authenticate("default", "pw") != nullptr);
  CHECK(us.authenticate("default", "nope") == nullptr);
  CHECK(us.authenticate("alice", "a2") != nullptr);
  CHECK(us.authenticate("off1", "x") == nullptr);  // off
  CHECK(us.authenticate("admin", "adm") != nullptr);
  CHECK(acl::describe(*us.find("alice")) == "user alice on #" + acl::password_hash("a1") + " #" +
                                                acl::password_hash("a2") +
                                                " ~* resetchannels +@all");
  // admin_password (deprecated) keeps PROXY commands to the admin user.
  auto open = acl::Users::build({"", {}, "", "adm"});
  const auto* reload = command::CommandTable::get().find_entry("proxy|reload");
  CHECK_FALSE(acl::may_run(open.users->default_user(), *reload->spec, reload->id));
  CHECK(acl::may_run(*open.users->find("admin"), *reload->spec, reload->id));
  CHECK_FALSE(acl::Users::open()->auth_required());
  CHECK(acl::Users::closed()->auth_required());
}

TEST_CASE("users: errors name their entry and never a password") {
  acl::UserSources src;
  src.users = {"user a on >pw1 +nosuch", "user b on >pw2 #zz", "user a on", "alice on"};
  auto b = acl::Users::build(src);
  REQUIRE(b.errors.size() == 3);
  CHECK(b.errors[0].entry == 0);
  CHECK(b.errors[0].message ==
        "Error in applying operation '+nosuch': Unknown command or "
        "category name in ACL");
  CHECK(b.errors[1].entry == 1);
  CHECK(b.errors[1].message.find("pw2") == std::string::npos);
  CHECK(b.errors[2].message == "should start with user keyword followed by the username");
  src.users = {"user a on", "user a off"};
  CHECK(acl::Users::build(src).errors.at(0).message == "Duplicate user 'a'");
}
