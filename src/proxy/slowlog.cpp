// SLOWLOG and LATENCY of the proxy itself, in Redis's reply shapes. SLOWLOG's entries are
// kept per worker (no lock on the request path) and gathered from every worker here; LATENCY's
// events are the process's (ServerState).
#include <algorithm>

#include "preshard/core/errors.hpp"
#include "preshard/proxy/ops.hpp"
#include "preshard/resp/ascii.hpp"
#include "preshard/resp/encode.hpp"
#include "preshard/resp/reply_writer.hpp"
#include "preshard/resp/string2ll.hpp"

namespace preshard::proxy::ops {

namespace {

namespace errors = core::errors;

void help(Call& c, std::initializer_list<std::string_view> lines) {
  std::string raw;
  resp::ReplyWriter w(raw, c.st.protocol);
  w.array(lines.size());
  for (std::string_view l : lines) w.simple(l);
  c.client.reply_now(raw);
}

// Each worker's entries as "<id> <size>\n<entry>" runs, newest first; merged by id.
std::string entries_of(Context& ctx) {
  std::string out, entry;
  for (const core::SlowEntry& e : ctx.slowlog().entries()) {
    entry.clear();
    core::append_slow_entry(entry, e);
    out += std::to_string(e.id) + " " + std::to_string(entry.size()) + "\n" + entry;
  }
  return out;
}

void slowlog_get(Call& c, long long count) {
  uint64_t slot = c.client.reserve();
  c.ctx.on_every_worker(
      entries_of, [client = c.client.shared(), slot, count](std::vector<std::string> parts) {
        std::vector<std::pair<uint64_t, std::string_view>> all;
        for (const std::string& p : parts) {
          for (size_t at = 0; at < p.size();) {
            size_t sp = p.find(' ', at), nl = p.find('\n', sp);
            uint64_t id = std::stoull(p.substr(at, sp - at));
            size_t size = std::stoull(p.substr(sp + 1, nl - sp - 1));
            all.emplace_back(id, std::string_view(p).substr(nl + 1, size));
            at = nl + 1 + size;
          }
        }
        std::sort(all.begin(), all.end(),
                  [](const auto& a, const auto& b) { return a.first > b.first; });
        size_t n = count < 0 ? all.size() : std::min(all.size(), static_cast<size_t>(count));
        std::string raw;
        resp::append_array_header(raw, n);
        for (size_t i = 0; i < n; ++i) raw += all[i].second;
        client->on_reply(slot, raw);
      });
}

}  // namespace

void slowlog(Call& c) {
  std::string_view sub = c.req[1];
  if (resp::arg_is(sub, "help")) {
    return help(
        c, {"SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", "GET [<count>]",
            "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
            "    Entries are made of:",
            "    id, timestamp, time in microseconds, arguments array, client IP and port,",
            "    client name, and (preshard) the shards of its keys", "LEN",
            "    Return the length of the slowlog.", "RESET", "    Reset the slowlog.", "HELP",
            "    Prints this help."});
  }
  if (resp::arg_is(sub, "get")) {
    long long count = 10;
    if (c.req.size() > 3) return c.client.error_now(errors::wrong_arity("slowlog|get"));
    if (c.req.size() == 3 && (!resp::string2ll(c.req[2], count) || count < -1)) {
      return c.client.error_now(errors::kSlowlogCount);
    }
    return slowlog_get(c, count);
  }
  uint64_t slot = c.client.reserve();
  bool reset = resp::arg_is(sub, "reset");
  c.ctx.on_every_worker(
      [reset](Context& ctx) {
        size_t n = ctx.slowlog().size();
        if (reset) ctx.slowlog().reset();
        return std::to_string(n);
      },
      [client = c.client.shared(), slot, reset](std::vector<std::string> sizes) {
        std::string raw;
        if (reset) {
          resp::append_simple(raw, "OK");
        } else {
          long long n = 0;
          for (const std::string& s : sizes) n += std::stoll(s);
          resp::append_integer(raw, n);
        }
        client->on_reply(slot, raw);
      });
}

void latency(Call& c) {
  std::string_view sub = c.req[1];
  std::string raw;
  resp::ReplyWriter w(raw, c.st.protocol);
  if (resp::arg_is(sub, "help")) {
    return help(c, {"LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                    "HISTORY <event>", "    Return time-latency samples for the <event> class.",
                    "LATEST", "    Return the latest latency samples for all events.",
                    "RESET [<event> ...]", "    Reset latency data of one or more <event> classes.",
                    "    (default: reset all data for all event classes)",
                    "(preshard) Events: reload, pause, failover, slow-shard.", "HELP",
                    "    Prints this help."});
  }
  if (resp::arg_is(sub, "reset")) {
    std::vector<std::string> names;
    for (size_t i = 2; i < c.req.size(); ++i) names.emplace_back(c.req[i]);
    w.integer(static_cast<long long>(c.ctx.state().reset_latency(names)));
    return c.client.reply_now(raw);
  }
  core::EventLog log = c.ctx.state().events();
  if (resp::arg_is(sub, "latest")) {
    w.array(log.series().size());
    for (const auto& s : log.series()) {
      w.array(4);
      w.bulk(s.name);
      w.integer(s.samples.empty() ? 0 : s.samples.back().unix_seconds);
      w.integer(s.samples.empty() ? 0 : static_cast<long long>(s.samples.back().ms));
      w.integer(static_cast<long long>(s.max_ms));
    }
    return c.client.reply_now(raw);
  }
  // HISTORY <event>
  const core::EventLog::Series* s = log.find(std::string(c.req[2]));
  w.array(s ? s->samples.size() : 0);
  if (s) {
    for (const auto& sample : s->samples) {
      w.array(2);
      w.integer(sample.unix_seconds);
      w.integer(static_cast<long long>(sample.ms));
    }
  }
  c.client.reply_now(raw);
}

}  // namespace preshard::proxy::ops
