#include "preshard/config/endpoint.hpp"

#include <cctype>

#include "preshard/resp/string2ll.hpp"

namespace preshard::config {

namespace {

bool valid_hostname(std::string_view h) {
  if (h.empty() || h.size() > 253) return false;
  for (char c : h) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_')) {
      return false;
    }
  }
  return h.front() != '-' && h.front() != '.';
}

bool valid_ipv6(std::string_view h) {
  if (h.empty()) return false;
  for (char c : h) {
    if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.')) return false;
  }
  return h.find(':') != std::string_view::npos;
}

}  // namespace

std::string Endpoint::to_string() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<Endpoint> parse_endpoint(std::string_view text, std::string& why, int min_port) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    why = "expected host:port, got '" + std::string(text) + "'";
    return std::nullopt;
  }
  std::string_view host = text.substr(0, colon);
  std::string_view port = text.substr(colon + 1);
  bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) {
    host = host.substr(1, host.size() - 2);
    if (!valid_ipv6(host)) {
      why = "invalid IPv6 address in '" + std::string(text) + "'";
      return std::nullopt;
    }
  } else if (!valid_hostname(host)) {
    why = "invalid host in '" + std::string(text) + "'";
    return std::nullopt;
  }
  long long p = 0;
  if (!resp::string2ll(port, p) || p < min_port || p > 65535) {
    why = "invalid port in '" + std::string(text) + "' (expected " + std::to_string(min_port) +
          "-65535)";
    return std::nullopt;
  }
  return Endpoint{std::string(host), static_cast<uint16_t>(p)};
}

}  // namespace preshard::config
