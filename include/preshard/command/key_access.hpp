#pragma once
// What a command's keys need under ACL key patterns, from Redis's key specs (generated data:
// src/command/key_access.cpp, by scripts/gen_key_access.py).
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace preshard::command {

enum KeyAccess : uint8_t {
  kKeyNone = 0,   // neither (EXISTS, TYPE: any key pattern allows it)
  kKeyRead = 1,   // the value is read: %R~ (or ~)
  kKeyWrite = 2,  // inserted, updated or deleted: %W~ (or ~)
  kKeyReadWrite = 3,
};

// The first key (by argument position) and every other key.
struct KeyAccessRow {
  std::string_view name;  // as in the command table: "name" or "container|sub"
  uint8_t first;
  uint8_t rest;
};

extern const KeyAccessRow kKeyAccessRows[];
extern const size_t kKeyAccessRowCount;

}  // namespace preshard::command
