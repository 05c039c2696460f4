// Session: the commands preshard answers itself.

#include "preshard/command/command_reply.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/io/context.hpp"
#include "preshard/io/info.hpp"
#include "preshard/io/session.hpp"
#include "preshard/resp/ascii.hpp"
#include "preshard/resp/encode.hpp"
#include "preshard/resp/string2ll.hpp"

namespace preshard::io {

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
  using Handler = void (*)(Session&, const resp::Request&, std::string&);

  static void fail(Session& s, std::string& out, const errors::Error& error) {
    s.count_error(error.kind);
    resp::append_error(out, error.text);
  }

  static void ping(Session& s, const resp::Request& req, std::string& out) {
    if (req.size() > 2) {  // the table's arity (-1) has no upper bound; Redis checks it here
      fail(s, out, errors::wrong_arity("ping"));
    } else if (s.subscribed()) {  // Redis's RESP2 form in subscribed mode
      resp::append_array_header(out, 2);
      resp::append_bulk(out, "pong");
      resp::append_bulk(out, req.size() > 1 ? req[1] : std::string_view());
    } else if (req.size() == 1) {
      resp::append_simple(out, "PONG");
    } else {
      resp::append_bulk(out, req[1]);
    }
  }

  static void echo(Session&, const resp::Request& req, std::string& out) {
    resp::append_bulk(out, req[1]);
  }

  static void quit(Session& s, const resp::Request&, std::string& out) {
    resp::append_simple(out, "OK");
    s.close_when_done_ = true;
  }

  static void select(Session& s, const resp::Request& req, std::string& out) {
    long long db = 0;
    if (!resp::string2ll(req[1], db) || db < INT32_MIN || db > INT32_MAX) {
      fail(s, out, errors::kNotInteger);
    } else if (db != 0) {
      fail(s, out, errors::kDbIndexOutOfRange);  // one database: the shards' db 0
    } else {
      resp::append_simple(out, "OK");
    }
  }

  // AUTH is accepted the way a Redis with no password accepts it (AUTH with users comes with
  // the TLS/ACL work), except for the user "admin" when admin_password is set: its password
  // unlocks the PROXY administration commands for this connection.
  static bool auth_ok(Session& s, std::string_view user, std::string_view password,
                      std::string& out) {
    const std::string& admin = s.ctx_.settings().admin_password;
    if (user == "admin" && !admin.empty() && password == admin) {
      s.admin_ = true;
      return true;
    }
    if (user == "default") return true;
    fail(s, out, errors::kWrongPass);
    return false;
  }

  static void auth(Session& s, const resp::Request& req, std::string& out) {
    if (req.size() == 2) {
      fail(s, out, errors::kAuthNoPassword);
    } else if (req.size() == 3) {
      if (auth_ok(s, req[1], req[2], out)) resp::append_simple(out, "OK");
    } else {
      fail(s, out, errors::kSyntax);
    }
  }

  static void hello(Session& s, const resp::Request& req, std::string& out) {
    size_t i = 1;
    if (req.size() >= 2) {
      long long ver = 0;
      if (!resp::string2ll(req[1], ver)) {
        fail(s, out, errors::kProtoVersionNotInteger);
        return;
      }
      if (ver != 2) {  // RESP3 would change every reply's encoding: not offered
        fail(s, out, errors::kNoProto);
        return;
      }
      i = 2;
    }
    std::string name = s.name_;
    for (; i < req.size(); ++i) {
      size_t left = req.size() - i - 1;
      if (arg_is(req[i], "auth") && left >= 2) {
        if (!auth_ok(s, req[i + 1], req[i + 2], out)) return;
        i += 2;
      } else if (arg_is(req[i], "setname") && left >= 1) {
        if (!valid_client_name(req[i + 1])) {
          fail(s, out, errors::kBadClientName);
          return;
        }
        name = req[i + 1];
        i += 1;
      } else {
        fail(s, out, errors::hello_option(req[i]));
        return;
      }
    }
    s.name_ = name;
    resp::append_array_header(out, 14);
    resp::append_bulk(out, "server");
    resp::append_bulk(out, "redis");
    resp::append_bulk(out, "version");
    resp::append_bulk(out, "7.0.0");
    resp::append_bulk(out, "proto");
    resp::append_integer(out, 2);
    resp::append_bulk(out, "id");
    resp::append_integer(out, static_cast<long long>(s.id_));
    resp::append_bulk(out, "mode");
    resp::append_bulk(out, "standalone");
    resp::append_bulk(out, "role");
    resp::append_bulk(out, "master");
    resp::append_bulk(out, "modules");
    resp::append_array_header(out, 0);
  }

  static void reset(Session& s, const resp::Request&, std::string& out) {
    s.name_.clear();
    s.multi_ = Session::Multi{};  // discards a transaction and any WATCH, as Redis's RESET
    s.unpin();
    s.unsubscribe_all();
    resp::append_simple(out, "RESET");
  }

  static void command(Session&, const resp::Request& req, std::string& out) {
    command::reply_command(req, out);
  }

  static void info(Session& s, const resp::Request& req, std::string& out) {
    resp::append_bulk(out, render_info(s.ctx_, req));
  }

  static void client_setname(Session& s, const resp::Request& req, std::string& out) {
    if (!valid_client_name(req[2])) {
      fail(s, out, errors::kBadClientName);
      return;
    }
    s.name_ = req[2];
    resp::append_simple(out, "OK");
  }

  static void client_getname(Session& s, const resp::Request&, std::string& out) {
    if (s.name_.empty()) {
      resp::append_nil(out);
    } else {
      resp::append_bulk(out, s.name_);
    }
  }

  static void client_id(Session& s, const resp::Request&, std::string& out) {
    resp::append_integer(out, static_cast<long long>(s.id_));
  }

  static void client_info(Session& s, const resp::Request&, std::string& out) {
    auto age = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - s.created_).count();
    resp::append_bulk(out, "id=" + std::to_string(s.id_) + " addr=" + s.transport_.peer() +
                               " name=" + s.name_ + " age=" + std::to_string(age) +
                               " db=0 resp=2 cmd=client|info\n");
  }

  static void proxy_shard(Session& s, const resp::Request& req, std::string& out) {
    resp::append_integer(out, static_cast<long long>(s.ctx_.table().shard_of(req[2])));
  }

  static void proxy_help(Session&, const resp::Request&, std::string& out) {
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
        "HELP",
        "    Print this help.",
    };
    resp::append_array_header(out, std::size(kLines));
    for (const char* l : kLines) resp::append_simple(out, l);
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
      case Op::kInfo:
        return info;
      case Op::kClientSetname:
        return client_setname;
      case Op::kClientGetname:
        return client_getname;
      case Op::kClientId:
        return client_id;
      case Op::kClientInfo:
        return client_info;
      case Op::kProxyShard:
        return proxy_shard;
      case Op::kProxyHelp:
        return proxy_help;
      default:
        return nullptr;
    }
  }
};

void Session::run_local(const command::CommandSpec& spec, const resp::Request& req) {
  using command::Op;
  if (spec.op == Op::kProxyReload || spec.op == Op::kProxyPause || spec.op == Op::kProxyResume) {
    admin_command(spec, req);  // every worker takes part
    return;
  }
  if (spec.op == Op::kInfo && info_wants_keyspace(req)) {
    forward_info(req);  // Keyspace comes from the shards
    return;
  }
  LocalCommands::Handler h = LocalCommands::handler(spec.op);
  scratch_.clear();
  if (h == nullptr) {
    auto error = errors::not_supported_yet(spec.name);
    count_error(error.kind);
    resp::append_error(scratch_, error.text);
  } else {
    h(*this, req, scratch_);
  }
  reply_raw(scratch_);
}

}  // namespace preshard::io
