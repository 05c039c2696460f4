#include "preshard/command/block_timeout.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "preshard/command/key_finder.hpp"
#include "preshard/resp/string2ll.hpp"

namespace preshard::command {

namespace {

using std::chrono::milliseconds;

// Redis's getTimeoutFromObjectOrReply: seconds as a long double (rounded up to milliseconds),
// or whole milliseconds; negative or unparsable is an error; 0 blocks forever.
std::optional<milliseconds> parse(std::string_view arg, bool millis) {
  long long ms = 0;
  if (millis) {
    if (!resp::string2ll(arg, ms) || ms < 0) return milliseconds(0);
  } else {
    std::string text(arg);
    char* end = nullptr;
    long double seconds = std::strtold(text.c_str(), &end);
    long double value = std::ceil(seconds * 1000.0L);
    if (text.empty() || end != text.c_str() + text.size() || std::isnan(value) || value < 0 ||
        value > static_cast<long double>(std::numeric_limits<long long>::max() / 2)) {
      return milliseconds(0);
    }
    ms = static_cast<long long>(value);
  }
  if (ms == 0) return std::nullopt;
  return milliseconds(ms);
}

}  // namespace

std::optional<milliseconds> block_timeout(const CommandSpec& spec, const resp::Request& req) {
  if (spec.keys.kind == Keys::kStreams) {
    XreadOptions o = scan_xread_options(req);
    if (o.block_at == 0) return milliseconds(0);
    return parse(req[o.block_at], true);
  }
  int at = spec.timeout.at;
  size_t index = at < 0 ? req.size() - static_cast<size_t>(-at) : static_cast<size_t>(at);
  if (at == 0 || index >= req.size() || index == 0) return milliseconds(0);
  return parse(req[index], spec.timeout.millis);
}

}  // namespace preshard::command
