#include "preshard/command/command_reply.hpp"

#include <cctype>

#include "preshard/command/client_modes.hpp"
#include "preshard/command/command_table.hpp"
#include "preshard/command/key_finder.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/resp/ascii.hpp"
#include "preshard/resp/encode.hpp"

namespace preshard::command {

namespace {

struct FlagName {
  Flag flag;
  const char* name;
};
constexpr FlagName kFlagNames[] = {
    {kWrite, "write"},
    {kReadonly, "readonly"},
    {kDenyOom, "denyoom"},
    {kAdmin, "admin"},
    {kPubSub, "pubsub"},
    {kNoScript, "noscript"},
    {kBlocking, "blocking"},
    {kLoading, "loading"},
    {kStale, "stale"},
    {kSkipMonitor, "skip_monitor"},
    {kSkipSlowlog, "skip_slowlog"},
    {kAsking, "asking"},
    {kFast, "fast"},
    {kNoAuth, "no_auth"},
    {kNoMandatoryKeys, "no_mandatory_keys"},
    {kNoAsyncLoading, "no_async_loading"},
    {kNoMulti, "no_multi"},
    {kAllowBusy, "allow_busy"},
};

using resp::arg_is;
namespace errors = core::errors;

void reply_getkeys(const resp::Request& req, std::string& out) {
  resp::Request inner;
  for (size_t i = 2; i < req.size(); ++i) inner.add(req[i]);
  Lookup lk = lookup(inner);
  // Redis's order of checks: known command, has keys at all, arity, then the keys themselves.
  if (lk.status == LookupStatus::kUnknownCommand || lk.status == LookupStatus::kUnknownSubcommand) {
    resp::append_error(out, errors::kInvalidCommandSpecified.text);
    return;
  }
  if (lk.spec->first == 0 && !lk.spec->movable_keys()) {
    resp::append_error(out, errors::kNoKeyArguments.text);
    return;
  }
  if (lk.status == LookupStatus::kWrongArity) {
    resp::append_error(out, errors::kInvalidArgumentCount.text);
    return;
  }
  std::vector<size_t> keys;
  if (find_keys(*lk.spec, inner, keys) != KeysStatus::kOk ||
      (keys.empty() && !lk.spec->has(kNoMandatoryKeys))) {
    resp::append_error(out, errors::kInvalidArguments.text);
    return;
  }
  resp::append_array_header(out, keys.size());
  for (size_t k : keys) resp::append_bulk(out, inner[k]);
}

}  // namespace

std::vector<std::string_view> flag_names(const CommandSpec& spec) {
  std::vector<std::string_view> names;
  for (const auto& f : kFlagNames) {
    if (spec.has(f.flag)) names.emplace_back(f.name);
  }
  if (spec.movable_keys()) names.emplace_back("movablekeys");
  return names;
}

void append_command_info(std::string& out, const CommandSpec& spec) {
  resp::append_array_header(out, 10);
  resp::append_bulk(out, spec.name);
  resp::append_integer(out, spec.arity);
  auto flags = flag_names(spec);
  resp::append_array_header(out, flags.size());
  for (auto f : flags) resp::append_simple(out, f);
  resp::append_integer(out, spec.first);
  resp::append_integer(out, spec.last);
  resp::append_integer(out, spec.step);
  std::vector<std::string> categories;
  for (uint32_t i = 0; i < acl_bits::kCount; ++i) {
    if (spec.acl & (1u << i)) categories.push_back("@" + std::string(acl_category_name(i)));
  }
  resp::append_array_header(out, categories.size());  // ACL categories, as Redis lists them
  for (const auto& c : categories) resp::append_simple(out, c);
  resp::append_array_header(out, 0);  // tips
  resp::append_array_header(out, 0);  // key specs
  std::vector<const CommandSpec*> subs;
  if (spec.name.find('|') == std::string_view::npos) {
    subs = CommandTable::get().subcommands(spec.name);
  }
  resp::append_array_header(out, subs.size());
  for (const CommandSpec* s : subs) append_command_info(out, *s);
}

void reply_command(const resp::Request& req, std::string& out) {
  const CommandTable& table = CommandTable::get();
  if (req.size() == 1) {
    resp::append_array_header(out, table.top_level().size());
    for (const CommandSpec* s : table.top_level()) append_command_info(out, *s);
    return;
  }
  std::string_view sub = req[1];
  if (arg_is(sub, "count")) {
    resp::append_integer(out, static_cast<long long>(table.top_level().size()));
  } else if (arg_is(sub, "list")) {
    std::vector<std::string_view> names;
    for (const CommandSpec* s : table.top_level()) {
      names.push_back(s->name);
      for (const CommandSpec* c : table.subcommands(s->name)) names.push_back(c->name);
    }
    resp::append_array_header(out, names.size());
    for (auto n : names) resp::append_bulk(out, n);
  } else if (arg_is(sub, "info")) {
    resp::append_array_header(out, req.size() - 2);
    for (size_t i = 2; i < req.size(); ++i) {
      const CommandSpec* s = table.find(req[i]);
      if (s == nullptr) {
        out.append("*-1\r\n");
      } else {
        append_command_info(out, *s);
      }
    }
  } else if (arg_is(sub, "docs")) {
    std::vector<const CommandSpec*> specs;
    if (req.size() == 2) {
      specs = table.top_level();
    } else {
      for (size_t i = 2; i < req.size(); ++i) {
        if (const CommandSpec* s = table.find(req[i])) specs.push_back(s);
      }
    }
    resp::append_array_header(out, specs.size() * 2);
    for (const CommandSpec* s : specs) {
      resp::append_bulk(out, s->name);
      resp::append_array_header(out, 2);
      resp::append_bulk(out, "summary");
      resp::append_bulk(out, "preshard: " + std::string(op_info(s->op).text));
    }
  } else if (arg_is(sub, "getkeys")) {
    reply_getkeys(req, out);
  } else {
    resp::append_error(out, errors::command_unknown_subcommand(sub).text);
  }
}

}  // namespace preshard::command
