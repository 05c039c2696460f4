#pragma once
#include <chrono>
#include <optional>

#include "preshard/command/command_spec.hpp"
#include "preshard/resp/request.hpp"

namespace preshard::command {

// How long `req`, a blocking command, may block on the instance by its own arguments, read as
// Redis reads them: nullopt when it may block forever (a timeout of 0); zero when the argument is
// no valid timeout (the instance refuses it at once).
std::optional<std::chrono::milliseconds> block_timeout(const CommandSpec& spec,
                                                       const resp::Request& req);

}  // namespace preshard::command
