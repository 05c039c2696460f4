#include "preshard/ctl/sentinel_query.hpp"

#include "preshard/config/sentinel_name.hpp"
#include "preshard/ctl/cli.hpp"
#include "preshard/ctl/redis_client.hpp"

namespace preshard::ctl {

std::vector<std::optional<config::Endpoint>> sentinel_masters(const config::Config& c,
                                                              std::chrono::milliseconds timeout,
                                                              std::ostream& err) {
  size_t n = c.instances.size();
  std::vector<std::optional<config::Endpoint>> masters(n);
  std::vector<std::vector<std::string>> asks;
  for (size_t i = 0; i < n; ++i) {
    asks.push_back(
        {"SENTINEL", "get-master-addr-by-name", config::sentinel_name(c.sentinel_name, i, n)});
  }
  for (const config::Endpoint& s : c.sentinels) {
    RedisClient sentinel(s, timeout, "", c.sentinel_password);
    std::string why;
    if (!sentinel.connect(why)) {
      err << "sentinel " << s.to_string() << ": " << why << "\n";
      continue;
    }
    auto replies = sentinel.pipeline(asks);
    size_t known = 0;
    for (size_t i = 0; i < n && i < replies.size(); ++i) {
      const Reply& r = replies[i];
      if (r.type != Reply::Type::kArray || r.elements.size() != 2) continue;
      long long port = 0;
      if (!positive_number(r.elements[1].str, 65535, port)) continue;
      masters[i] = config::Endpoint{r.elements[0].str, static_cast<uint16_t>(port)};
      ++known;
    }
    if (known > 0) return masters;  // one Sentinel that knows the masters is enough
  }
  err << "preshardctl: no Sentinel named the masters: roles are taken from the file\n";
  return masters;
}

}  // namespace preshard::ctl
