#include "preshard/command/command_reply.hpp"

#include <cctype>

#include "preshard/command/client_modes.hpp"
#include "preshard/command/command_table.hpp"
#include "preshard/command/key_finder.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/resp/ascii.hpp"
#include "preshard/resp/reply_writer.hpp"

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

void reply_getkeys(const resp::Request& req, resp::ReplyWriter& w) {
  resp::Request inner;
  for (size_t i = 2; i < req.size(); ++i) inner.add(req[i]);
  Lookup lk = lookup(inner);
  // Redis's order of checks: known command, has keys at all, arity, then the keys themselves.
  if (lk.status == LookupStatus::kUnknownCommand || lk.status == LookupStatus::kUnknownSubcommand) {
    w.error(errors::kInvalidCommandSpecified.text);
    return;
  }
  if (lk.spec->first == 0 && !lk.spec->movable_keys()) {
    w.error(errors::kNoKeyArguments.text);
    return;
  }
  if (lk.status == LookupStatus::kWrongArity) {
    w.error(errors::kInvalidArgumentCount.text);
    return;
  }
  std::vector<size_t> keys;
  if (find_keys(*lk.spec, inner, keys) != KeysStatus::kOk ||
      (keys.empty() && !lk.spec->has(kNoMandatoryKeys))) {
    w.error(errors::kInvalidArguments.text);
    return;
  }
  w.array(keys.size());
  for (size_t k : keys) w.bulk(inner[k]);
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

// Redis 7.0's shape: flags, categories, tips, key specs and subcommands are sets in RESP3.
void append_command_info(resp::ReplyWriter& w, const CommandSpec& spec) {
  w.array(10);
  w.bulk(spec.name);
  w.integer(spec.arity);
  auto flags = flag_names(spec);
  w.set(flags.size());
  for (auto f : flags) w.simple(f);
  w.integer(spec.first);
  w.integer(spec.last);
  w.integer(spec.step);
  std::vector<std::string> categories;
  for (uint32_t i = 0; i < acl_bits::kCount; ++i) {
    if (spec.acl & (1u << i)) categories.push_back("@" + std::string(acl_category_name(i)));
  }
  w.set(categories.size());  // ACL categories, as Redis lists them
  for (const auto& c : categories) w.simple(c);
  w.set(0);  // tips
  w.set(0);  // key specs
  std::vector<const CommandSpec*> subs;
  if (spec.name.find('|') == std::string_view::npos) {
    subs = CommandTable::get().subcommands(spec.name);
  }
  w.set(subs.size());
  for (const CommandSpec* s : subs) append_command_info(w, *s);
}

void reply_command(const resp::Request& req, resp::ReplyWriter& w) {
  const CommandTable& table = CommandTable::get();
  if (req.size() == 1) {
    w.array(table.top_level().size());
    for (const CommandSpec* s : table.top_level()) append_command_info(w, *s);
    return;
  }
  std::string_view sub = req[1];
  if (arg_is(sub, "count")) {
    w.integer(static_cast<long long>(table.top_level().size()));
  } else if (arg_is(sub, "list")) {
    std::vector<std::string_view> names;
    for (const CommandSpec* s : table.top_level()) {
      names.push_back(s->name);
      for (const CommandSpec* c : table.subcommands(s->name)) names.push_back(c->name);
    }
    w.array(names.size());
    for (auto n : names) w.bulk(n);
  } else if (arg_is(sub, "info")) {
    w.array(req.size() - 2);
    for (size_t i = 2; i < req.size(); ++i) {
      const CommandSpec* s = table.find(req[i]);
      if (s == nullptr) {
        w.null_array();
      } else {
        append_command_info(w, *s);
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
    w.map(specs.size());
    for (const CommandSpec* s : specs) {
      w.bulk(s->name);
      w.map(1);
      w.bulk("summary");
      w.bulk("preshard: " + std::string(op_info(s->op).text));
    }
  } else if (arg_is(sub, "getkeys")) {
    reply_getkeys(req, w);
  } else {
    w.error(errors::command_unknown_subcommand(sub).text);
  }
}

}  // namespace preshard::command
