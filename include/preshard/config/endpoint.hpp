#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace preshard::config {

// A host:port. The host is an IPv4 address, a bracketed IPv6 address ("[::1]:7000") or a DNS
// name; it is kept as written and resolved when connecting.
struct Endpoint {
  std::string host;
  uint16_t port = 0;

  std::string to_string() const;
  bool operator==(const Endpoint&) const = default;
};

// A list of addresses (the `sentinels` setting).
using EndpointList = std::vector<Endpoint>;
// A list of strings (the `users` setting).
using StringList = std::vector<std::string>;

// Parses "host:port" (port min_port..65535). On failure returns nullopt and says why in `why`.
std::optional<Endpoint> parse_endpoint(std::string_view text, std::string& why, int min_port = 1);

}  // namespace preshard::config
