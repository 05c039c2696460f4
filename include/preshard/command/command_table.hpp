#pragma once
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

 private:
  CommandTable();
  std::unordered_map<std::string_view, const CommandSpec*> by_name_;
  std::vector<const CommandSpec*> top_;
  std::vector<const CommandSpec*> subs_;
};

enum class LookupStatus { kOk, kUnknownCommand, kUnknownSubcommand, kWrongArity };

struct Lookup {
  LookupStatus status;
  const CommandSpec* spec;  // the row (for kWrongArity: the row whose arity failed)
};

// Finds the row for a request (descending into containers) and checks its arity.
Lookup lookup(const resp::Request& req);

}  // namespace preshard::command
