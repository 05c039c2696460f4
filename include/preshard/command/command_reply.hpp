#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "preshard/command/command_spec.hpp"
#include "preshard/resp/request.hpp"

namespace preshard::command {

// The COMMAND family, answered from the table: COMMAND, COMMAND COUNT / LIST / INFO / DOCS /
// GETKEYS. Appends one reply to `out`.
void reply_command(const resp::Request& req, std::string& out);

// The flags COMMAND INFO shows for a row (Redis's names; "movablekeys" when key positions
// depend on the arguments).
std::vector<std::string_view> flag_names(const CommandSpec& spec);

// One COMMAND INFO entry (RESP2), subcommands included for containers.
void append_command_info(std::string& out, const CommandSpec& spec);

}  // namespace preshard::command
