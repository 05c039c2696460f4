#pragma once
// The command table, one array per Redis command group (src/command/table_*.cpp).
#include <span>

#include "preshard/command/command_spec.hpp"

namespace preshard::command {

// A blocking command's row, with where its timeout is (the rows are otherwise positional).
constexpr CommandSpec with_timeout(CommandSpec row, BlockTimeout timeout) {
  row.timeout = timeout;
  return row;
}

extern const std::span<const CommandSpec> kServerCommands;
extern const std::span<const CommandSpec> kStringCommands;
extern const std::span<const CommandSpec> kClusterCommands;
extern const std::span<const CommandSpec> kConnectionCommands;
extern const std::span<const CommandSpec> kBitmapCommands;
extern const std::span<const CommandSpec> kListCommands;
extern const std::span<const CommandSpec> kSortedSetCommands;
extern const std::span<const CommandSpec> kGenericCommands;
extern const std::span<const CommandSpec> kTransactionsCommands;
extern const std::span<const CommandSpec> kScriptingCommands;
extern const std::span<const CommandSpec> kGeoCommands;
extern const std::span<const CommandSpec> kHashCommands;
extern const std::span<const CommandSpec> kHyperloglogCommands;
extern const std::span<const CommandSpec> kPubsubCommands;
extern const std::span<const CommandSpec> kSetCommands;
extern const std::span<const CommandSpec> kStreamCommands;
extern const std::span<const CommandSpec> kProxyCommands;

}  // namespace preshard::command
