#pragma once
#include <string>
#include <vector>

#include "preshard/metrics/report.hpp"
#include "preshard/net/server_state.hpp"
#include "preshard/proxy/shard_monitor.hpp"
#include "preshard/router/routing_table.hpp"
#include "preshard/server/admin_http.hpp"

namespace preshard::server {

// Everything the admin endpoint shows, read from the workers' counters, the monitor's samples
// and the process (on the control thread; nothing here blocks a worker).
metrics::Report build_report(const net::ServerState& state, const router::RoutingTable& table,
                             const proxy::ShardMonitor::Samples& samples);

// The admin endpoint's routes: /metrics, /status, /sd, / (the dashboard). With an
// admin_password set, each needs HTTP Basic authentication as user "admin".
AdminHttp::Response admin_route(const std::string& path, const std::string& authorization,
                                const std::string& admin_password,
                                const std::function<metrics::Report()>& report);

}  // namespace preshard::server
