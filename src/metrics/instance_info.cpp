#include "preshard/metrics/instance_info.hpp"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <iterator>

namespace preshard::metrics {

namespace {

uint64_t to_u64(std::string_view v) {
  uint64_t n = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), n);
  return r.ec == std::errc() ? n : 0;
}

// "keys=3,expires=1,avg_ttl=0": the value of `name`.
std::string_view attribute(std::string_view list, std::string_view name) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    size_t eq = item.find('=');
    if (eq != std::string_view::npos && item.substr(0, eq) == name) return item.substr(eq + 1);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return {};
}

}  // namespace

std::string_view InstanceInfo::get(std::string_view name) const {
  auto it = fields.find(name);
  return it == fields.end() ? std::string_view() : std::string_view(it->second);
}

uint64_t InstanceInfo::number(std::string_view name) const {
  return to_u64(get(name));
}

double InstanceInfo::real(std::string_view name) const {
  std::string v(get(name));
  return v.empty() ? 0.0 : std::strtod(v.c_str(), nullptr);
}

std::string human_bytes(uint64_t bytes) {
  static const char* kUnits[] = {"B", "K", "M", "G", "T"};
  double v = static_cast<double>(bytes);
  size_t u = 0;
  while (v >= 1024 && u + 1 < std::size(kUnits)) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f%s" : "%.2f%s", v, kUnits[u]);
  return buf;
}

InstanceInfo parse_info(std::string_view text) {
  InstanceInfo info;
  std::string section;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line[0] == '#') {
      // "# Memory": the fields that follow are that section's.
      section.clear();
      for (char ch : line.substr(1)) {
        if (ch != ' ') section += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    if (name.size() > 2 && name.substr(0, 2) == "db" &&
        name.find_first_not_of("0123456789", 2) == std::string_view::npos) {
      info.keys += to_u64(attribute(value, "keys"));
      info.expires += to_u64(attribute(value, "expires"));
      continue;
    }
    if (info.fields.emplace(std::string(name), std::string(value)).second) {
      info.sections[section].emplace_back(name);
    }
  }
  return info;
}

}  // namespace preshard::metrics
