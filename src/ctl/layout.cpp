#include "preshard/ctl/layout.hpp"

#include <openssl/rand.h>

#include <charconv>

#include "preshard/config/settings.hpp"

namespace preshard::ctl {

namespace {

bool parse_port(std::string_view s, unsigned& port) {
  auto res = std::from_chars(s.data(), s.data() + s.size(), port);
  return res.ec == std::errc() && res.ptr == s.data() + s.size() && port >= 1 && port <= 65535;
}

bool parse_index(std::string_view s, size_t& v) {
  auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && res.ec == std::errc() && res.ptr == s.data() + s.size();
}

// "A" or "A-B" with A <= B, each read by `one`.
template <typename T, typename One>
bool parse_range(std::string_view s, T& first, T& last, One one) {
  size_t dash = s.find('-');
  bool ok = one(s.substr(0, dash), first);
  last = first;
  if (ok && dash != std::string_view::npos) ok = one(s.substr(dash + 1), last);
  return ok && last >= first;
}

}  // namespace

std::optional<std::vector<bool>> parse_shard_set(std::string_view text, size_t count,
                                                 std::string& why) {
  std::vector<bool> mask(count, false);
  if (text.empty()) {
    why = "an empty shard list";
    return std::nullopt;
  }
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view piece = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    size_t first = 0, last = 0;
    if (!parse_range(piece, first, last, parse_index)) {
      why = "'" + std::string(piece) + "' is not a shard number or FIRST-LAST range";
      return std::nullopt;
    }
    if (last >= count) {
      why = "shard " + std::to_string(last) + " does not exist (the config has " +
            std::to_string(count) + " shards: 0-" + std::to_string(count - 1) + ")";
      return std::nullopt;
    }
    for (size_t i = first; i <= last; ++i) mask[i] = true;
  }
  return mask;
}

Layout parse_layout(std::string_view hosts) {
  Layout out;
  while (!hosts.empty()) {
    size_t comma = hosts.find(',');
    std::string_view piece = hosts.substr(0, comma);
    hosts = comma == std::string_view::npos ? std::string_view() : hosts.substr(comma + 1);
    size_t colon = piece.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
      out.error = "'" + std::string(piece) + "' is not HOST:PORT or HOST:FIRST-LAST";
      return out;
    }
    std::string host(piece.substr(0, colon));
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    unsigned first = 0, last = 0;
    if (!parse_range(piece.substr(colon + 1), first, last, parse_port)) {
      out.error = "'" + std::string(piece) + "': ports must be 1-65535, FIRST-LAST ascending";
      return out;
    }
    for (unsigned p = first; p <= last; ++p) {
      out.instances.push_back({host, static_cast<uint16_t>(p)});
    }
  }
  if (out.instances.empty()) out.error = "no instances";
  return out;
}

std::string render_config(const std::vector<config::Endpoint>& instances,
                          const config::Endpoint& listen) {
  std::string out =
      "# preshard configuration, written by preshardctl init.\n"
      "# Entry i of `instances` serves shard i: the count and the order are fixed for the life\n"
      "# of the data (move an instance with preshardctl migrate; never add or remove one).\n"
      "# Every other setting is shown at its default; see README, \"Configuration\".\n\n";
  out += "listen: \"" + listen.to_string() + "\"\n\n";
  // Beyond loopback, protected mode wants a password: one is generated (clients AUTH with it).
  bool beyond_loopback =
      listen.host != "127.0.0.1" && listen.host != "::1" && listen.host != "localhost";
  if (beyond_loopback) {
    unsigned char bytes[16];
    RAND_bytes(bytes, sizeof bytes);
    std::string pass;
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned char b : bytes) pass += {kHex[b >> 4], kHex[b & 15]};
    out += "# Generated, since listen is beyond loopback (protected mode): clients AUTH with it.\n";
    out += "requirepass: \"" + pass + "\"\n\n";
  }
  for (const config::SettingInfo& s : config::setting_infos()) {
    if (s.name == "listen" || (beyond_loopback && s.name == "requirepass")) continue;
    out += "# " + std::string(s.help) + "\n";
    std::string value = s.type == "string" ? "\"" + s.default_text + "\"" : s.default_text;
    out += "# " + std::string(s.name) + ": " + value + "\n";
  }
  out += "\ninstances:  # " + std::to_string(instances.size()) + " shards\n";
  for (size_t i = 0; i < instances.size(); ++i) {
    out += "  - \"" + instances[i].to_string() + "\"  # shard " + std::to_string(i) + "\n";
  }
  return out;
}

}  // namespace preshard::ctl
