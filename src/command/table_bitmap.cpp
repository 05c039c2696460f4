// Command table rows: the bitmap commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the route is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"bitcount", -2, kReadonly, 1, 1, 1, Route::kKeyed},
    {"bitfield", -2, kWrite | kDenyOom, 1, 1, 1, Route::kKeyed},
    {"bitfield_ro", -2, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"bitop", -4, kWrite | kDenyOom, 2, -1, 1, Route::kKeyed},
    {"bitpos", -3, kReadonly, 1, 1, 1, Route::kKeyed},
    {"getbit", 3, kReadonly | kFast, 1, 1, 1, Route::kKeyed},
    {"setbit", 4, kWrite | kDenyOom, 1, 1, 1, Route::kKeyed},
};
}  // namespace

constexpr std::span<const CommandSpec> kBitmapCommands{kRows};

}  // namespace preshard::command
