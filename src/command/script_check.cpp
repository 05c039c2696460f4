#include "preshard/command/script_check.hpp"

#include <cctype>

#include "preshard/command/command_table.hpp"

namespace preshard::command {

namespace {

bool space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

// Whether `s` ends (before `end`) with "redis." or "server." plus spaces around the dot.
bool called_on_redis(std::string_view s, size_t end) {
  while (end > 0 && space(s[end - 1])) --end;
  if (end == 0 || s[end - 1] != '.') return false;
  --end;
  while (end > 0 && space(s[end - 1])) --end;
  for (std::string_view obj : {std::string_view("redis"), std::string_view("server")}) {
    if (end >= obj.size() && ieq(s.substr(end - obj.size(), obj.size()), obj) &&
        (end == obj.size() || !(std::isalnum(static_cast<unsigned char>(s[end - obj.size() - 1])) ||
                                s[end - obj.size() - 1] == '_'))) {
      return true;
    }
  }
  return false;
}

// A quoted literal at `pos` (after spaces): its text, and `pos` moves past it.
bool literal(std::string_view s, size_t& pos, std::string_view& out) {
  while (pos < s.size() && space(s[pos])) ++pos;
  if (pos >= s.size() || (s[pos] != '\'' && s[pos] != '"')) return false;
  char quote = s[pos];
  size_t close = s.find(quote, pos + 1);
  if (close == std::string_view::npos) return false;
  out = s.substr(pos + 1, close - pos - 1);
  pos = close + 1;
  return true;
}

// Refused rows, and those the proxy answers for itself but that, in a script, would reach
// (and administer) the instance: SELECT, SLOWLOG, LATENCY, ACL, CONFIG SET (one shard only).
bool refused(const CommandSpec* spec) {
  return spec != nullptr &&
         (spec->op == Op::kDenied || spec->op == Op::kSelect || spec->op == Op::kSlowlog ||
          spec->op == Op::kLatency || spec->op == Op::kAcl || spec->op == Op::kConfigChange);
}

}  // namespace

std::string refused_call(std::string_view s) {
  for (size_t at = s.find("call"); at != std::string_view::npos; at = s.find("call", at + 4)) {
    size_t before = at > 0 && (s[at - 1] == 'p' || s[at - 1] == 'P') ? at - 1 : at;
    if (!called_on_redis(s, before)) continue;
    size_t pos = at + 4;
    while (pos < s.size() && space(s[pos])) ++pos;
    if (pos >= s.size() || s[pos] != '(') continue;
    ++pos;
    std::string_view name, sub;
    if (!literal(s, pos, name)) continue;
    resp::Request req{name};
    while (pos < s.size() && space(s[pos])) ++pos;
    if (pos < s.size() && s[pos] == ',' && literal(s, ++pos, sub)) req.add(sub);
    Lookup lk = lookup(req);
    const CommandSpec* spec = lk.spec;
    if (lk.status == LookupStatus::kUnknownSubcommand ||
        lk.status == LookupStatus::kUnknownCommand) {
      spec = lookup(resp::Request{name}).spec;  // a container named alone, or unknown
    }
    if (refused(spec)) {
      std::string full(spec->name);
      for (char& c : full) c = c == '|' ? ' ' : c;
      return full;
    }
  }
  return "";
}

std::string refused_call(const CommandSpec& spec, const resp::Request& req) {
  int at = spec.script_at;
  if (at == 0) return "";
  size_t index = at < 0 ? req.size() - static_cast<size_t>(-at) : static_cast<size_t>(at);
  if (index == 0 || index >= req.size()) return "";
  return refused_call(req[index]);
}

}  // namespace preshard::command
