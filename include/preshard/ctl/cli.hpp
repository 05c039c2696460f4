#pragma once
// The preshardctl commands that parse their own arguments (those after the command's name).
// Each returns the exit status: 0 done, 1 failed (the reason on `err`), 2 a usage error.
#include <ostream>
#include <string>
#include <vector>

#include "preshard/config/config.hpp"

namespace preshard::ctl {

// An option's number: all digits, 1..max; false otherwise (so "4x" and "0" are refused).
bool positive_number(const std::string& text, long long max, long long& out);

// A --proxy HOST:PORT value appended to `out`; false with `why` when it is not an address.
bool add_proxy(const std::string& text, std::vector<config::Endpoint>& out, std::string& why);

int backup_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int restore_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// preshardctl sentinel-config: `sentinel monitor` and `sentinel` setting lines for every shard.
struct SentinelConfigOptions {
  unsigned quorum = 2;
  unsigned down_after_ms = 5000;
  unsigned failover_timeout_ms = 60000;
};
std::string render_sentinel_config(const config::Config& c, const SentinelConfigOptions& o);
int sentinel_config_command(const std::vector<std::string>& args, std::ostream& out,
                            std::ostream& err);

}  // namespace preshard::ctl
