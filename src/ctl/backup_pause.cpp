// The pause of a consistent backup: every shard on every proxy, from before the first snapshot
// begins until the last one has (the migration's PROXY PAUSE machinery).
#include "backup_impl.hpp"
#include "preshard/ctl/instance_ops.hpp"

namespace preshard::ctl::backup_steps {

ProxyPause::ProxyPause(const config::Config& c, const BackupOptions& o)
    : timeout_ms_(o.pause_timeout_ms) {
  std::vector<config::Endpoint> eps = o.proxies;
  if (eps.empty()) eps.push_back(c.listen);
  for (const auto& ep : eps) {
    // PAUSE answers once the shards' commands in flight are answered: allow for that.
    proxies_.push_back(std::make_unique<RedisClient>(ep, std::chrono::milliseconds(60'000), "admin",
                                                     c.admin_password));
  }
  for (size_t i = 0; i < c.instances.size(); ++i) shards_.push_back(std::to_string(i));
}

ProxyPause::~ProxyPause() {
  try {
    resume();
  } catch (...) {  // the proxies resume by themselves after the pause timeout
  }
}

std::vector<std::string> ProxyPause::names() const {
  std::vector<std::string> out;
  for (const auto& p : proxies_) out.push_back(p->endpoint().to_string());
  return out;
}

void ProxyPause::pause() {
  std::vector<std::string> args = {"PROXY", "PAUSE"};
  args.insert(args.end(), shards_.begin(), shards_.end());
  args.push_back("TIMEOUT");
  args.push_back(std::to_string(timeout_ms_));
  since_ = std::chrono::steady_clock::now();
  for (auto& p : proxies_) {
    Reply r = p->command(args);
    if (r.type != Reply::Type::kStatus || r.str != "OK") {
      std::string why =
          p->endpoint().to_string() + ": PROXY PAUSE: " + (r.str.empty() ? "no reply" : r.str);
      resume();
      throw Failure(why);
    }
    ++paused_;
  }
}

void ProxyPause::resume() {
  if (paused_ == 0) return;
  std::vector<std::string> args = {"PROXY", "RESUME"};
  args.insert(args.end(), shards_.begin(), shards_.end());
  std::string failed;
  for (size_t i = 0; i < paused_; ++i) {
    Reply r = proxies_[i]->command(args);
    if (r.type != Reply::Type::kStatus) failed += " " + proxies_[i]->endpoint().to_string();
  }
  paused_ = 0;
  paused_ms_ = ms_since(since_);
  if (!failed.empty()) {
    throw Failure("PROXY RESUME failed on" + failed + " (they resume by themselves after " +
                  std::to_string(timeout_ms_) + " ms)");
  }
}

}  // namespace preshard::ctl::backup_steps
