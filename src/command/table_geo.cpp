// Command table rows: the geo commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the route is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"geoadd", -5, kWrite | kDenyOom, 1, 1, 1, Route::kKeyed},
    {"geodist", -4, kReadonly, 1, 1, 1, Route::kKeyed},
    {"geohash", -2, kReadonly, 1, 1, 1, Route::kKeyed},
    {"geopos", -2, kReadonly, 1, 1, 1, Route::kKeyed},
    {"georadius", -6, kWrite | kDenyOom, 1, 1, 1, Route::kKeyed, Merge::kNone, {Keys::kGeoStore}},
    {"georadius_ro", -6, kReadonly, 1, 1, 1, Route::kKeyed},
    {"georadiusbymember",
     -5,
     kWrite | kDenyOom,
     1,
     1,
     1,
     Route::kKeyed,
     Merge::kNone,
     {Keys::kGeoStore}},
    {"georadiusbymember_ro", -5, kReadonly, 1, 1, 1, Route::kKeyed},
    {"geosearch", -7, kReadonly, 1, 1, 1, Route::kKeyed},
    {"geosearchstore", -8, kWrite | kDenyOom, 1, 2, 1, Route::kKeyed},
};
}  // namespace

constexpr std::span<const CommandSpec> kGeoCommands{kRows};

}  // namespace preshard::command
