#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace preshard::metrics {

// What one instance's INFO said, as the monitor keeps it: the fields by name ("used_memory"),
// and the keys summed over its databases.
struct InstanceInfo {
  std::map<std::string, std::string, std::less<>> fields;
  // Each section's field names in INFO's order ("memory" -> used_memory, ...).
  std::map<std::string, std::vector<std::string>, std::less<>> sections;
  uint64_t keys = 0;
  uint64_t expires = 0;

  // "" when absent.
  std::string_view get(std::string_view name) const;
  // 0 when absent or not a number.
  uint64_t number(std::string_view name) const;
  double real(std::string_view name) const;
};

// "1.50M", "512B": Redis's bytesToHuman (INFO's *_human fields, table cells).
std::string human_bytes(uint64_t bytes);

// Parses an INFO text ("# Section\r\nname:value\r\n..."). Keyspace lines (db0:keys=..,...) add
// to keys and expires.
InstanceInfo parse_info(std::string_view text);

}  // namespace preshard::metrics
