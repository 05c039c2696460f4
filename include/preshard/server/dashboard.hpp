#pragma once
#include <string_view>

namespace preshard::server {

// The dashboard page (src/server/dashboard.html, built in): self-contained, it polls /status.
std::string_view dashboard_html();

}  // namespace preshard::server
