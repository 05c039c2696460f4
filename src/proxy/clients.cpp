// CLIENT INFO, LIST, KILL and NO-EVICT for the proxy's own clients, on every worker thread, in
// Redis 7.0's formats and words. (The instances' clients are the proxy's connections: ask them
// directly.)
#include <algorithm>
#include <optional>

#include "preshard/core/errors.hpp"
#include "preshard/proxy/ops.hpp"
#include "preshard/resp/ascii.hpp"
#include "preshard/resp/reply_writer.hpp"
#include "preshard/resp/string2ll.hpp"

namespace preshard::proxy::ops {

namespace {

namespace errors = core::errors;
using command::Op;
using resp::arg_is;

// Which clients a LIST or KILL is about. Unset fields match every client.
struct Filter {
  std::optional<bool> pubsub;  // TYPE pubsub / normal
  bool none = false;           // TYPE master / replica / slave: the proxy has none
  std::vector<uint64_t> ids;
  std::optional<std::string> addr, laddr, user;
  bool skip_me = true;

  bool matches(ClientPort& client, const std::string& line, uint64_t me) const {
    if (none || (skip_me && client.id() == me)) return false;
    if (!ids.empty() && std::find(ids.begin(), ids.end(), client.id()) == ids.end()) return false;
    if (addr && client.peer() != *addr) return false;
    if (laddr && client.local() != *laddr) return false;
    if (pubsub && (line.find(" flags=P") != std::string::npos) != *pubsub) return false;
    return !user || line.find(" user=" + *user + " ") != std::string::npos;
  }
};

std::optional<errors::Error> parse_type(std::string_view t, Filter& f) {
  if (arg_is(t, "normal")) {
    f.pubsub = false;
  } else if (arg_is(t, "pubsub")) {
    f.pubsub = true;
  } else if (arg_is(t, "master") || arg_is(t, "replica") || arg_is(t, "slave")) {
    f.none = true;
  } else {
    return errors::unknown_client_type(t);
  }
  return std::nullopt;
}

// CLIENT LIST [TYPE t] | [ID id ...]
std::optional<errors::Error> parse_list(const resp::Request& req, Filter& f) {
  f.skip_me = false;
  if (req.size() == 2) return std::nullopt;
  if (req.size() == 4 && arg_is(req[2], "type")) return parse_type(req[3], f);
  if (req.size() >= 4 && arg_is(req[2], "id")) {
    for (size_t i = 3; i < req.size(); ++i) {
      long long id = 0;
      if (!resp::string2ll(req[i], id) || id < 0) return errors::kInvalidClientId;
      f.ids.push_back(static_cast<uint64_t>(id));
    }
    return std::nullopt;
  }
  return errors::kSyntax;
}

// CLIENT KILL <filter value> ... (the old form, CLIENT KILL addr:port, is handled apart).
std::optional<errors::Error> parse_kill(const resp::Request& req, Filter& f) {
  if (req.size() % 2 != 0) return errors::kSyntax;
  for (size_t i = 2; i + 1 < req.size(); i += 2) {
    std::string_view opt = req[i], v = req[i + 1];
    if (arg_is(opt, "id")) {
      long long id = 0;
      if (!resp::string2ll(v, id) || id <= 0) return errors::kClientIdPositive;
      f.ids.push_back(static_cast<uint64_t>(id));
    } else if (arg_is(opt, "type")) {
      if (auto e = parse_type(v, f)) return e;
    } else if (arg_is(opt, "addr")) {
      f.addr = std::string(v);
    } else if (arg_is(opt, "laddr")) {
      f.laddr = std::string(v);
    } else if (arg_is(opt, "user")) {
      if (v != "default" && v != "admin") return errors::no_such_user(v);
      f.user = std::string(v);
    } else if (arg_is(opt, "skipme") && (arg_is(v, "yes") || arg_is(v, "no"))) {
      f.skip_me = arg_is(v, "yes");
    } else {
      return errors::kSyntax;
    }
  }
  return std::nullopt;
}

uint64_t line_id(std::string_view line) {
  long long id = 0;
  resp::string2ll(line.substr(3, line.find(' ') - 3), id);  // "id=N ..."
  return static_cast<uint64_t>(id);
}

void list(Call& c, Filter f) {
  uint64_t slot = c.client.reserve();
  c.ctx.on_every_worker(
      [f](Context& ctx) {
        std::string lines;
        for (auto& client : ctx.clients()) {
          std::string line = client->describe();
          if (f.matches(*client, line, 0)) lines += line + "\n";
        }
        return lines;
      },
      [client = c.client.shared(), slot, proto = c.st.protocol](std::vector<std::string> parts) {
        std::vector<std::string_view> lines;
        for (const std::string& p : parts) {
          for (size_t at = 0; at < p.size();) {
            size_t end = p.find('\n', at);
            lines.push_back(std::string_view(p).substr(at, end + 1 - at));
            at = end + 1;
          }
        }
        std::sort(lines.begin(), lines.end(),
                  [](auto a, auto b) { return line_id(a) < line_id(b); });  // Redis's order
        std::string text, raw;
        for (auto l : lines) text += l;
        resp::ReplyWriter(raw, proto).verbatim(text);
        client->on_reply(slot, raw);
      });
}

// Closes the matching clients on every worker; `done` gets how many.
void kill(Call& c, Filter f, bool old_form) {
  uint64_t slot = c.client.reserve();
  uint64_t me = c.client.id();
  c.ctx.on_every_worker(
      [f, me](Context& ctx) {
        size_t n = 0;
        for (auto& client : ctx.clients()) {
          if (!f.matches(*client, client->describe(), me)) continue;
          ++n;
          // The caller itself still gets this reply (Redis closes it after replying).
          if (client->id() == me) {
            client->close_after_replies();
          } else {
            client->close();
          }
        }
        return std::to_string(n);
      },
      [client = c.client.shared(), slot, proto = c.st.protocol,
       old_form](std::vector<std::string> counts) {
        long long n = 0;
        for (const std::string& s : counts) n += std::stoll(s);
        std::string raw;
        resp::ReplyWriter w(raw, proto);
        if (!old_form) {
          w.integer(n);
        } else if (n > 0) {
          w.simple("OK");
        } else {
          w.error(errors::kNoSuchClient.text);
        }
        client->on_reply(slot, raw);
      });
}

}  // namespace

void clients(Call& c) {
  std::optional<errors::Error> error;
  Filter f;
  switch (c.spec.op) {
    case Op::kClientInfo:
      return reply(c, [&](resp::ReplyWriter& w) { w.verbatim(c.client.describe() + "\n"); });
    case Op::kClientNoEvict:
      if (arg_is(c.req[2], "on") || arg_is(c.req[2], "off")) {
        c.st.no_evict = arg_is(c.req[2], "on");
        return reply(c, [](resp::ReplyWriter& w) { w.simple("OK"); });
      }
      return c.client.error_now(errors::kSyntax);
    case Op::kClientReply:
      // As Redis: OFF and SKIP are not answered (their reply is silenced), ON is.
      if (arg_is(c.req[2], "on")) {
        c.st.reply_off = c.st.cmd_silent = false;
      } else if (arg_is(c.req[2], "off")) {
        c.st.reply_off = c.st.cmd_silent = true;
      } else if (arg_is(c.req[2], "skip")) {
        c.st.reply_skip_next = !c.st.reply_off;
        c.st.cmd_silent = true;
      } else {
        return c.client.error_now(errors::kSyntax);
      }
      return reply(c, [](resp::ReplyWriter& w) { w.simple("OK"); });
    case Op::kClientList:
      if ((error = parse_list(c.req, f))) return c.client.error_now(*error);
      return list(c, std::move(f));
    default:                    // kClientKill
      if (c.req.size() == 3) {  // CLIENT KILL addr:port, which may be the caller itself
        f.addr = std::string(c.req[2]);
        f.skip_me = false;
        return kill(c, std::move(f), true);
      }
      if ((error = parse_kill(c.req, f))) return c.client.error_now(*error);
      return kill(c, std::move(f), false);
  }
}

}  // namespace preshard::proxy::ops
