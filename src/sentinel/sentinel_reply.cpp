#include "preshard/sentinel/sentinel_reply.hpp"

#include <vector>

#include "preshard/resp/reply_view.hpp"
#include "preshard/resp/string2ll.hpp"

namespace preshard::sentinel {

namespace {

std::optional<config::Endpoint> endpoint(std::string_view host, std::string_view port) {
  long long p = 0;
  if (host.empty() || !resp::string2ll(port, p) || p < 1 || p > 65535) return std::nullopt;
  return config::Endpoint{std::string(host), static_cast<uint16_t>(p)};
}

}  // namespace

std::optional<MasterState> parse_master(std::string_view raw, std::string& why) {
  resp::ReplyView view;
  if (!view.parse(raw)) {
    why = "malformed reply";
    return std::nullopt;
  }
  auto root = view.root();
  if (root.is(resp::ReplyType::kError)) {
    why = std::string(root.str());
    return std::nullopt;
  }
  if (!root.is(resp::ReplyType::kArray) && !root.is(resp::ReplyType::kMap)) {
    why = "unexpected reply to SENTINEL MASTER";
    return std::nullopt;
  }
  std::string_view ip, port;
  MasterState m;
  auto field = root.size() > 0 ? root.first() : root;
  for (size_t i = 0; i + 1 < root.size(); i += 2) {
    auto value = field.next();
    std::string_view k = field.str(), v = value.str();
    if (k == "ip") {
      ip = v;
    } else if (k == "port") {
      port = v;
    } else if (k == "flags") {
      m.flags = std::string(v);
    } else if (k == "config-epoch") {
      long long e = 0;
      if (resp::string2ll(v, e) && e >= 0) m.config_epoch = static_cast<uint64_t>(e);
    }
    field = value.next();
  }
  auto ep = endpoint(ip, port);
  if (!ep) {
    why = "SENTINEL MASTER gave no usable ip and port";
    return std::nullopt;
  }
  m.address = *ep;
  return m;
}

std::optional<Switch> parse_switch(std::string_view payload) {
  std::vector<std::string_view> words;
  while (!payload.empty()) {
    size_t sp = payload.find(' ');
    if (sp != 0) words.push_back(payload.substr(0, sp));
    if (sp == std::string_view::npos) break;
    payload.remove_prefix(sp + 1);
  }
  if (words.size() != 5) return std::nullopt;
  auto from = endpoint(words[1], words[2]);
  auto to = endpoint(words[3], words[4]);
  if (!from || !to) return std::nullopt;
  return Switch{std::string(words[0]), *from, *to};
}

}  // namespace preshard::sentinel
