#include "preshard/command/command_table.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {

// Lowercases `in` into `buf`; false if it cannot be a command name (too long).
bool lower_into(std::string_view in, std::array<char, 64>& buf, std::string_view& out) {
  if (in.size() > buf.size()) return false;
  for (size_t i = 0; i < in.size(); ++i) {
    buf[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(in[i])));
  }
  out = std::string_view(buf.data(), in.size());
  return true;
}

bool arity_ok(const CommandSpec& s, size_t argc) {
  return s.arity > 0 ? argc == static_cast<size_t>(s.arity) : argc >= static_cast<size_t>(-s.arity);
}

}  // namespace

const CommandTable& CommandTable::get() {
  static const CommandTable table;
  return table;
}

CommandTable::CommandTable() {
  const std::span<const CommandSpec> families[] = {
      kBitmapCommands,    kClusterCommands,   kConnectionCommands,  kGenericCommands,
      kGeoCommands,       kHashCommands,      kHyperloglogCommands, kListCommands,
      kPubsubCommands,    kScriptingCommands, kServerCommands,      kSetCommands,
      kSortedSetCommands, kStreamCommands,    kStringCommands,      kTransactionsCommands,
      kProxyCommands};
  for (auto family : families) {
    for (const CommandSpec& s : family) {
      by_name_.emplace(s.name, Entry{&s, static_cast<uint16_t>(rows_.size()),
                                     s.name.find('|') != std::string_view::npos});
      rows_.push_back(&s);
      (s.name.find('|') == std::string_view::npos ? top_ : subs_).push_back(&s);
    }
  }
  auto by = [](const CommandSpec* a, const CommandSpec* b) { return a->name < b->name; };
  std::sort(top_.begin(), top_.end(), by);
  std::sort(subs_.begin(), subs_.end(), by);
}

const CommandTable::Entry* CommandTable::find_entry(std::string_view name) const {
  std::array<char, 64> buf;
  std::string_view lower;
  if (!lower_into(name, buf, lower)) return nullptr;
  auto it = by_name_.find(lower);
  return it == by_name_.end() ? nullptr : &it->second;
}

const CommandSpec* CommandTable::find(std::string_view name) const {
  const Entry* e = find_entry(name);
  return e == nullptr ? nullptr : e->spec;
}

uint16_t CommandTable::id_of(std::string_view name) const {
  const Entry* e = find_entry(name);
  return e == nullptr ? kNoRow : e->id;
}

std::vector<const CommandSpec*> CommandTable::subcommands(std::string_view container) const {
  std::vector<const CommandSpec*> out;
  for (const CommandSpec* s : subs_) {
    auto bar = s->name.find('|');
    if (s->name.substr(0, bar) == container) out.push_back(s);
  }
  return out;
}

Lookup lookup(const resp::Request& req) {
  const CommandTable& table = CommandTable::get();
  const CommandTable::Entry* entry = table.find_entry(req[0]);
  // "CONFIG|GET" names a subcommand's row, not a command: unknown, as in Redis (#10070).
  if (entry == nullptr || entry->subcommand) {
    return {LookupStatus::kUnknownCommand, nullptr};
  }
  const CommandSpec* spec = entry->spec;
  uint16_t id = entry->id;
  if (spec->op == Op::kContainer) {
    if (!arity_ok(*spec, req.size())) return {LookupStatus::kWrongArity, spec};
    std::array<char, 64> buf;
    std::string_view sub;
    const CommandTable::Entry* sub_entry = nullptr;
    if (lower_into(req[1], buf, sub) && sub.size() + spec->name.size() + 1 <= buf.size()) {
      char full[130];
      size_t n = 0;
      for (char c : spec->name) full[n++] = c;
      full[n++] = '|';
      for (char c : sub) full[n++] = c;
      sub_entry = table.find_entry(std::string_view(full, n));
    }
    if (sub_entry == nullptr) return {LookupStatus::kUnknownSubcommand, spec, id};
    spec = sub_entry->spec;
    id = sub_entry->id;
  }
  if (!arity_ok(*spec, req.size())) return {LookupStatus::kWrongArity, spec, id};
  return {LookupStatus::kOk, spec, id};
}

}  // namespace preshard::command
