#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace preshard::ctl {

// preshardctl status --config FILE [--json] [--watch SECONDS] [--timeout MS]: every shard's
// instance polled at once (INFO, a timeout each). Exit 1 when any shard is down, 2 on usage.
int status_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace preshard::ctl
