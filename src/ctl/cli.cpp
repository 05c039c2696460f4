// Argument pieces that several preshardctl commands share.
#include "preshard/ctl/cli.hpp"

#include "preshard/resp/string2ll.hpp"

namespace preshard::ctl {

bool positive_number(const std::string& text, long long max, long long& out) {
  long long v = 0;
  if (!resp::string2ll(text, v) || v < 1 || v > max) return false;
  out = v;
  return true;
}

bool add_proxy(const std::string& text, std::vector<config::Endpoint>& out, std::string& why) {
  auto ep = config::parse_endpoint(text, why);
  if (ep) out.push_back(*ep);
  return ep.has_value();
}

}  // namespace preshard::ctl
