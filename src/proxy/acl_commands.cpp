// ACL subcommands over the proxy's own users, in Redis 7.0's reply shapes and words. The users
// are read-only here: they live in preshard.yaml (users, aclfile, requirepass) and a reload
// (SIGHUP, PROXY RELOAD) applies an edit; SETUSER, DELUSER, LOAD, SAVE and LOG are refused.
#include <openssl/rand.h>

#include "preshard/acl/permission.hpp"
#include "preshard/command/client_modes.hpp"
#include "preshard/command/command_table.hpp"
#include "preshard/command/key_finder.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/proxy/ops.hpp"
#include "preshard/resp/ascii.hpp"
#include "preshard/resp/reply_writer.hpp"
#include "preshard/resp/string2ll.hpp"

namespace preshard::proxy::ops {

namespace {

using command::CommandTable;

void send(Call& c, const std::function<void(resp::ReplyWriter&)>& write) {
  std::string raw;
  resp::ReplyWriter w(raw, c.st.protocol);
  write(w);
  c.client.reply_now(raw);
}

void error(Call& c, std::string text) {
  c.client.error_now({core::errors::Kind::kValue, text});
}

void getuser(Call& c) {
  const acl::User* u = c.ctx.users().find(c.req[2]);
  send(c, [&](resp::ReplyWriter& w) {
    if (u == nullptr) return w.null();
    w.map(6);
    w.bulk("flags");
    w.set(u->nopass ? 2 : 1);
    w.bulk(u->enabled ? "on" : "off");
    if (u->nopass) w.bulk("nopass");
    w.bulk("passwords");
    w.array(u->passwords.size());
    for (const auto& h : u->passwords) w.bulk(h);
    w.bulk("commands");
    w.bulk(acl::describe_commands(*u));
    w.bulk("keys");
    w.bulk(acl::describe_keys(*u));
    w.bulk("channels");
    w.bulk(acl::describe_channels(*u));
    w.bulk("selectors");
    w.array(0);
  });
}

void cat(Call& c) {
  const CommandTable& t = CommandTable::get();
  if (c.req.size() == 2) {
    return send(c, [](resp::ReplyWriter& w) {
      w.array(command::acl_bits::kCount);
      for (uint32_t i = 0; i < command::acl_bits::kCount; ++i) {
        w.bulk(command::acl_category_name(i));
      }
    });
  }
  if (c.req.size() > 3) return c.client.error_now(core::errors::kSyntax);
  uint32_t bit = 0;
  for (uint32_t i = 0; i < command::acl_bits::kCount; ++i) {
    if (resp::arg_is(c.req[2], command::acl_category_name(i))) bit = 1u << i;
  }
  if (bit == 0) {
    return error(c, "ERR Unknown category '" + std::string(c.req[2].substr(0, 128)) + "'");
  }
  std::vector<std::string_view> names;
  for (size_t id = 0; id < t.row_count(); ++id) {
    const auto& row = t.row(static_cast<uint16_t>(id));
    if (row.in(static_cast<command::Acl>(bit))) names.push_back(row.name);
  }
  send(c, [&](resp::ReplyWriter& w) {
    w.array(names.size());
    for (auto n : names) w.bulk(n);
  });
}

// ACL DRYRUN user command [arg ...]: what the check would say, without running it.
void dryrun(Call& c) {
  const acl::User* u = c.ctx.users().find(c.req[2]);
  if (u == nullptr) return error(c, "ERR User '" + std::string(c.req[2]) + "' not found");
  resp::Request sub;
  for (size_t i = 3; i < c.req.size(); ++i) sub.add(c.req[i]);
  command::Lookup lk = command::lookup(sub);
  if (lk.status == command::LookupStatus::kUnknownCommand ||
      lk.status == command::LookupStatus::kUnknownSubcommand) {
    return error(c, "ERR Command '" + std::string(c.req[3]) + "' not found");
  }
  if (lk.status == command::LookupStatus::kWrongArity) {
    return c.client.error_now(core::errors::wrong_arity(lk.spec->name));
  }
  std::vector<size_t> keys;
  if (command::find_keys(*lk.spec, sub, keys) != command::KeysStatus::kOk) keys.clear();
  size_t at = 0;
  std::string why;
  switch (acl::check(*u, *lk.spec, lk.id, sub, keys, &at)) {
    case acl::Denied::kNone:
      return send(c, [](resp::ReplyWriter& w) { w.simple("OK"); });
    case acl::Denied::kCommand:
      why = "This user has no permissions to run the '" + std::string(lk.spec->name) + "' command";
      break;
    case acl::Denied::kKey:
      why = "This user has no permissions to access the '" + std::string(sub[at]) + "' key";
      break;
    case acl::Denied::kChannel:
      why = "This user has no permissions to access the '" + std::string(sub[at]) + "' channel";
      break;
  }
  send(c, [&](resp::ReplyWriter& w) { w.bulk(why); });
}

void genpass(Call& c) {
  constexpr long long kMaxBits = 4096;
  long long bits = 256;
  if (c.req.size() == 3 && !resp::string2ll(c.req[2], bits)) {
    return c.client.error_now(core::errors::kNotInteger);
  }
  if (c.req.size() > 3 || bits <= 0 || bits > kMaxBits) {
    return error(c,
                 "ERR ACL GENPASS argument must be the number of bits for the output password, a "
                 "positive number up to 4096");
  }
  size_t chars = static_cast<size_t>((bits + 3) / 4);
  unsigned char bytes[kMaxBits / 8];
  RAND_bytes(bytes, static_cast<int>((chars + 1) / 2));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string pass;
  for (size_t i = 0; i < chars; ++i) pass += kHex[(bytes[i / 2] >> (i % 2 ? 0 : 4)) & 15];
  send(c, [&](resp::ReplyWriter& w) { w.bulk(pass); });
}

}  // namespace

void acl(Call& c) {
  std::string_view name = c.spec.name;
  const acl::Users& users = c.ctx.users();
  if (name == "acl|whoami") {
    send(c, [&](resp::ReplyWriter& w) { w.bulk(c.st.user); });
  } else if (name == "acl|users" || name == "acl|list") {
    send(c, [&](resp::ReplyWriter& w) {
      w.array(users.all().size());
      for (const auto& [n, u] : users.all()) w.bulk(name == "acl|users" ? n : acl::describe(u));
    });
  } else if (name == "acl|getuser") {
    getuser(c);
  } else if (name == "acl|cat") {
    cat(c);
  } else if (name == "acl|dryrun") {
    dryrun(c);
  } else if (name == "acl|genpass") {
    genpass(c);
  } else {  // acl|help
    send(c, [](resp::ReplyWriter& w) {
      static constexpr std::string_view kLines[] = {
          "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
          "CAT [<category>]",
          "    List all commands that belong to <category>, or all command "
          "categories when no category is specified.",
          "DRYRUN <username> <command> [<arg> ...]",
          "    Returns whether the user can execute the given command without executing the "
          "command.",
          "GETUSER <username>",
          "    Get the user's details.",
          "GENPASS [<bits>]",
          "    Generate a secure 256-bit user password. The optional `bits` argument can be used "
          "to specify a different size.",
          "LIST",
          "    Show users details in config file format.",
          "USERS",
          "    List all the registered usernames.",
          "WHOAMI",
          "    Return the current connection username.",
          "(preshard: users are set in preshard.yaml and applied by a reload; SETUSER, DELUSER, "
          "LOAD, SAVE and LOG are refused.)",
          "HELP",
          "    Print this help."};
      w.array(std::size(kLines));
      for (auto l : kLines) w.simple(l);
    });
  }
}

}  // namespace preshard::proxy::ops
