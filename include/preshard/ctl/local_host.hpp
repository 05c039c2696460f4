#pragma once
#include <optional>
#include <string>

namespace preshard::ctl {

// The numeric address of `host` (an IP address or a name) if it is an address of this machine
// (any interface's, or loopback: 127.0.0.0/8, ::1); nullopt otherwise or when it does not resolve.
std::optional<std::string> local_address(const std::string& host);

}  // namespace preshard::ctl
