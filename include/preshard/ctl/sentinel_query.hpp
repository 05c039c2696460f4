#pragma once
// What preshardctl asks Redis Sentinel (instances start, failover).
#include <chrono>
#include <optional>
#include <ostream>
#include <vector>

#include "preshard/config/config.hpp"

namespace preshard::ctl {

// Every shard's master as the config's Sentinels name it (the first Sentinel that knows them);
// unset where none does.
std::vector<std::optional<config::Endpoint>> sentinel_masters(const config::Config& c,
                                                              std::chrono::milliseconds timeout,
                                                              std::ostream& err);

}  // namespace preshard::ctl
