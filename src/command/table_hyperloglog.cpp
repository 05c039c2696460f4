// Command table rows: the hyperloglog commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the route is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"pfadd", -2, kWrite | kDenyOom | kFast, 1, 1, 1, Route::kKeyed},
    {"pfcount", -2, kReadonly, 1, -1, 1, Route::kKeyed},
    {"pfdebug", 3, kWrite | kDenyOom | kAdmin, 2, 2, 1, Route::kDenied},
    {"pfmerge", -2, kWrite | kDenyOom, 1, -1, 1, Route::kKeyed},
    {"pfselftest", 1, kAdmin, 0, 0, 0, Route::kDenied},
};
}  // namespace

constexpr std::span<const CommandSpec> kHyperloglogCommands{kRows};

}  // namespace preshard::command
