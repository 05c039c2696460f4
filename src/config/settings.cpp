#include "preshard/config/settings.hpp"

#include <type_traits>

namespace preshard::config {

namespace {

std::string text_of(const Endpoint& e) {
  return e.to_string();
}
std::string text_of(const EndpointList& list) {
  std::string out = "[";
  for (const Endpoint& e : list) out += (out.size() > 1 ? ", " : "") + e.to_string();
  return out + "]";
}
std::string text_of(const StringList& list) {
  // Never the entries themselves: user lines hold password hashes.
  return list.empty() ? "[]" : "[" + std::to_string(list.size()) + " entries]";
}
std::string text_of(const std::string& s) {
  return s;
}
template <typename T>
requires std::is_integral_v<T> std::string text_of(T v) {
  return std::to_string(v);
}

template <typename T>
constexpr std::string_view type_name() {
  if constexpr (std::is_same_v<T, Endpoint>) {
    return "address";
  } else if constexpr (std::is_same_v<T, EndpointList>) {
    return "address list";
  } else if constexpr (std::is_same_v<T, StringList>) {
    return "string list";
  } else if constexpr (std::is_same_v<T, std::string>) {
    return "string";
  } else {
    return "integer";
  }
}

}  // namespace

const std::vector<SettingInfo>& setting_infos() {
  static const std::vector<SettingInfo> all = [] {
    const Settings defaults;
    std::vector<SettingInfo> v;
#define PRESHARD_SETTING_INFO(type, name, def, min, max, reload, choices, help)   \
  v.push_back({#name, type_name<type>(), min, max, Reload::reload, choices, help, \
               text_of(defaults.name)});
    PRESHARD_SETTINGS(PRESHARD_SETTING_INFO)
#undef PRESHARD_SETTING_INFO
    return v;
  }();
  return all;
}

std::string setting_text(const Settings& s, std::string_view name) {
#define PRESHARD_SETTING_TEXT(type, field, def, min, max, reload, choices, help) \
  if (name == #field) return text_of(s.field);
  PRESHARD_SETTINGS(PRESHARD_SETTING_TEXT)
#undef PRESHARD_SETTING_TEXT
  return "";
}

}  // namespace preshard::config
