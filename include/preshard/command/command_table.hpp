#pragma once
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "preshard/command/command_spec.hpp"
#include "preshard/resp/request.hpp"

namespace preshard::command {

// All rows, indexed by name. Built once; read-only afterwards, so every thread may share it.
class CommandTable {
 public:
  static const CommandTable& get();

  // Case-insensitive lookup of "name" or "container|sub". Null when absent.
  const CommandSpec* find(std::string_view name) const;
  // Top-level commands in name order (containers included, subcommands not).
  const std::vector<const CommandSpec*>& top_level() const { return top_; }
  // Subcommand rows of a container, in name order.
  std::vector<const CommandSpec*> subcommands(std::string_view container) const;
  // Every row has a dense id (0 .. row_count()-1), for per-command statistics.
  size_t row_count() const { return rows_.size(); }
  const CommandSpec& row(uint16_t id) const { return *rows_[id]; }
  uint16_t id_of(std::string_view name) const;  // kNoRow when absent
  static constexpr uint16_t kNoRow = 0xffff;

  struct Entry {
    const CommandSpec* spec;
    uint16_t id;
    bool subcommand;  // "container|sub": a row, never a command's name
  };
  // As find(), with the row's id.
  const Entry* find_entry(std::string_view name) const;

 private:
  CommandTable();
  std::unordered_map<std::string_view, Entry> by_name_;
  std::vector<const CommandSpec*> rows_;  // by id
  std::vector<const CommandSpec*> top_;
  std::vector<const CommandSpec*> subs_;
};

enum class LookupStatus { kOk, kUnknownCommand, kUnknownSubcommand, kWrongArity };

struct Lookup {
  LookupStatus status;
  const CommandSpec* spec;             // the row (for kWrongArity: the row whose arity failed)
  uint16_t id = CommandTable::kNoRow;  // the row's id (CommandTable::row), with spec
};

// Finds the row for a request (descending into containers) and checks its arity.
Lookup lookup(const resp::Request& req);

}  // namespace preshard::command
