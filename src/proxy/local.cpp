// The commands preshard answers itself: one handler per op.

#include "preshard/command/command_reply.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/proxy/ops.hpp"
#include "preshard/resp/ascii.hpp"
#include "preshard/resp/encode.hpp"
#include "preshard/resp/reply_writer.hpp"
#include "preshard/resp/string2ll.hpp"

namespace preshard::proxy::ops {

namespace errors = core::errors;

namespace {

using resp::arg_is;

// Redis allows client names made of '!'..'~' only.
bool valid_client_name(std::string_view n) {
  for (char c : n) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

}  // namespace

struct LocalCommands {
  using Handler = void (*)(Call&, resp::ReplyWriter&);

  static void fail(Call& c, resp::ReplyWriter& w, const errors::Error& error) {
    c.client.count_error(error.kind);
    w.error(error.text);
  }

  static void ping(Call& c, resp::ReplyWriter& w) {
    if (c.req.size() > 2) {  // the table's arity (-1) has no upper bound; Redis checks it here
      fail(c, w, errors::wrong_arity("ping"));
    } else if (c.st.subs.view().any() && !w.resp3()) {  // Redis's RESP2 form in subscribed mode
      w.array(2);
      w.bulk("pong");
      w.bulk(c.req.size() > 1 ? c.req[1] : std::string_view());
    } else if (c.req.size() == 1) {
      w.simple("PONG");
    } else {
      w.bulk(c.req[1]);
    }
  }

  static void echo(Call& c, resp::ReplyWriter& w) { w.bulk(c.req[1]); }

  static void quit(Call& c, resp::ReplyWriter& w) {
    w.simple("OK");
    c.client.close_after_replies();
  }

  // SELECT n: from now on the client's commands go on connections that selected db n
  // (BackendPool's lanes); no SELECT is ever sent on a connection another mode uses.
  static void select(Call& c, resp::ReplyWriter& w) {
    long long db = 0;
    if (!resp::string2ll(c.req[1], db)) {
      fail(c, w, errors::kNotInteger);
    } else if (db < INT32_MIN || db > INT32_MAX) {
      fail(c, w, errors::kSelectOutOfRange);
    } else if (db < 0 || db >= static_cast<long long>(c.ctx.settings().databases)) {
      fail(c, w, errors::kDbIndexOutOfRange);
    } else {
      // Later commands go on the new db's connections: as for HELLO, the switch waits for the
      // earlier ones (FLUSHALL in db 0 must not overtake a SET still queued in db 1).
      if (db != c.st.db && wait_for_earlier(c.client)) return;
      c.st.db = static_cast<int>(db);
      w.simple("OK");
    }
  }

  // AUTH user pass (HELLO's too): a user of `users`/`aclfile`, the default user's requirepass,
  // or the deprecated admin_password's user "admin".
  static bool auth_ok(Call& c, std::string_view user, std::string_view password,
                      resp::ReplyWriter& w) {
    if (authenticate(c, user, password)) return true;
    fail(c, w, errors::kWrongPass);
    return false;
  }

  static void auth(Call& c, resp::ReplyWriter& w) {
    const acl::User& d = c.ctx.users().default_user();
    if (c.req.size() == 2 && d.nopass && d.enabled) {
      fail(c, w, errors::kAuthNoPassword);  // Redis's answer when there is nothing to check
    } else if (c.req.size() == 2) {
      if (auth_ok(c, "default", c.req[1], w)) w.simple("OK");
    } else if (c.req.size() == 3) {
      if (auth_ok(c, c.req[1], c.req[2], w)) w.simple("OK");
    } else {
      fail(c, w, errors::kSyntax);
    }
  }

  // HELLO [2|3 [AUTH user pass] [SETNAME name]]: switches the protocol once every option is
  // accepted, and answers in the new one (as Redis does).
  static void hello(Call& c, resp::ReplyWriter& w) {
    resp::Protocol proto = c.st.protocol;
    size_t i = 1;
    if (c.req.size() >= 2) {
      long long ver = 0;
      if (!resp::string2ll(c.req[1], ver)) {
        fail(c, w, errors::kProtoVersionNotInteger);
        return;
      }
      if (ver != 2 && ver != 3) {
        fail(c, w, errors::kNoProto);
        return;
      }
      proto = static_cast<resp::Protocol>(ver);
      i = 2;
    }
    // The client's later commands go on other instance connections: the switch waits until its
    // commands in flight are answered, so none of them can be overtaken (a WATCH, whose
    // connection speaks the old protocol, is then lost: EXEC answers nil).
    if (proto != c.st.protocol && wait_for_earlier(c.client)) return;
    std::string name = c.st.name;
    size_t auth_at = 0;  // AUTH's user argument; applied once every option is accepted
    for (; i < c.req.size(); ++i) {
      size_t left = c.req.size() - i - 1;
      if (arg_is(c.req[i], "auth") && left >= 2) {
        auth_at = i + 1;
        i += 2;
      } else if (arg_is(c.req[i], "setname") && left >= 1) {
        if (!valid_client_name(c.req[i + 1])) {
          fail(c, w, errors::kBadClientName);
          return;
        }
        name = c.req[i + 1];
        i += 1;
      } else {
        fail(c, w, errors::hello_option(c.req[i]));
        return;
      }
    }
    if (auth_at != 0 && !auth_ok(c, c.req[auth_at], c.req[auth_at + 1], w)) return;
    if (!c.st.authenticated && c.ctx.users().auth_required()) {
      fail(c, w, errors::kHelloNoAuth);
      return;
    }
    c.st.name = name;
    c.st.protocol = proto;
    w.set_protocol(proto);
    w.map(7);  // a flat array in RESP2
    w.bulk("server");
    w.bulk("redis");
    w.bulk("version");
    w.bulk("7.0.0");
    w.bulk("proto");
    w.integer(static_cast<long long>(proto));
    w.bulk("id");
    w.integer(static_cast<long long>(c.client.id()));
    w.bulk("mode");
    w.bulk("standalone");
    w.bulk("role");
    w.bulk("master");
    w.bulk("modules");
    w.array(0);
  }

  static void reset(Call& c, resp::ReplyWriter& w) {
    c.st.name.clear();
    if (c.st.txn.allocated()) c.st.txn.edit().discard_queue();  // and any WATCH, as RESET
    unpin(c.ctx, c.client, c.st);
    unsubscribe_all(c.ctx, c.client, c.st);
    c.st.protocol = resp::Protocol::kResp2;  // as Redis's RESET
    c.st.db = 0;
    // Back to the default user, authenticated only if it needs no password (as Redis).
    c.st.set_user(c.ctx.users().default_user(), !c.ctx.users().auth_required());
    w.simple("RESET");
  }

  static void command(Call& c, resp::ReplyWriter& w) { command::reply_command(c.req, w); }

  static void client_setname(Call& c, resp::ReplyWriter& w) {
    if (!valid_client_name(c.req[2])) {
      fail(c, w, errors::kBadClientName);
      return;
    }
    c.st.name = c.req[2];
    w.simple("OK");
  }

  static void client_getname(Call& c, resp::ReplyWriter& w) {
    if (c.st.name.empty()) {
      w.null();
    } else {
      w.bulk(c.st.name);
    }
  }

  static void client_id(Call& c, resp::ReplyWriter& w) {
    w.integer(static_cast<long long>(c.client.id()));
  }

  static void proxy_shard(Call& c, resp::ReplyWriter& w) {
    w.integer(static_cast<long long>(c.ctx.table().shard_of(c.req[2])));
  }

  static void proxy_help(Call&, resp::ReplyWriter& w) {
    static const char* kLines[] = {
        "PROXY <subcommand> [<arg> ...]. Subcommands are:",
        "SHARD <key>",
        "    Return the shard number that <key> maps to.",
        "RELOAD",
        "    Re-read the configuration file (as SIGHUP does); an error says why it was refused.",
        "PAUSE <shard> [<shard> ...] [TIMEOUT <ms>]",
        "    Queue the shards' requests; answers once their requests in flight are answered.",
        "RESUME <shard> [<shard> ...]",
        "    Send the shards' queued requests and go on.",
        "INFO <shard> [<section> ...]",
        "    The INFO of the instance serving <shard>, as it answers it.",
        "HELP",
        "    Print this help.",
    };
    w.array(std::size(kLines));
    for (const char* l : kLines) w.simple(l);
  }

  // The handler of each local op (null: not a local op).
  static Handler handler(command::Op op) {
    using command::Op;
    switch (op) {
      case Op::kPing:
        return ping;
      case Op::kEcho:
        return echo;
      case Op::kQuit:
        return quit;
      case Op::kSelect:
        return select;
      case Op::kAuth:
        return auth;
      case Op::kHello:
        return hello;
      case Op::kReset:
        return reset;
      case Op::kCommand:
        return command;
      case Op::kClientSetname:
        return client_setname;
      case Op::kClientGetname:
        return client_getname;
      case Op::kClientId:
        return client_id;
      case Op::kProxyShard:
        return proxy_shard;
      case Op::kProxyHelp:
        return proxy_help;
      default:
        return nullptr;
    }
  }
};

void local(Call& c) {
  if (c.spec.op == command::Op::kCommand && command_from_instance(c)) return;
  if (c.spec.op == command::Op::kPing && ping_busy_shard(c)) return;
  std::string out;
  resp::ReplyWriter w(out, c.st.protocol);
  LocalCommands::Handler h = LocalCommands::handler(c.spec.op);
  if (h == nullptr) {
    LocalCommands::fail(c, w, errors::not_supported_yet(c.spec.name));
  } else {
    h(c, w);
  }
  c.client.reply_now(out);
}

}  // namespace preshard::proxy::ops
