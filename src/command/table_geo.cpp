// Command table rows: the geo commands. Facts (arity, flags, key range) are Redis 7.0's
// COMMAND INFO, checked by tests/integration/test_command_table.py; the op is preshard's.
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"geoadd", -5, kWrite | kDenyOom, kAclGeo | kAclSlow | kAclWrite, 1, 1, 1, Op::kKeyed},
    {"geodist", -4, kReadonly, kAclGeo | kAclRead | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"geohash", -2, kReadonly, kAclGeo | kAclRead | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"geopos", -2, kReadonly, kAclGeo | kAclRead | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"georadius",
     -6,
     kWrite | kDenyOom,
     kAclGeo | kAclSlow | kAclWrite,
     1,
     1,
     1,
     Op::kKeyed,
     Merge::kNone,
     {Keys::kGeoStore}},
    {"georadius_ro", -6, kReadonly, kAclGeo | kAclRead | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"georadiusbymember",
     -5,
     kWrite | kDenyOom,
     kAclGeo | kAclSlow | kAclWrite,
     1,
     1,
     1,
     Op::kKeyed,
     Merge::kNone,
     {Keys::kGeoStore}},
    {"georadiusbymember_ro", -5, kReadonly, kAclGeo | kAclRead | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"geosearch", -7, kReadonly, kAclGeo | kAclRead | kAclSlow, 1, 1, 1, Op::kKeyed},
    {"geosearchstore", -8, kWrite | kDenyOom, kAclGeo | kAclSlow | kAclWrite, 1, 2, 1, Op::kKeyed},
};
}  // namespace

constexpr std::span<const CommandSpec> kGeoCommands{kRows};

}  // namespace preshard::command
