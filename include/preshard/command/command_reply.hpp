#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "preshard/command/command_spec.hpp"
#include "preshard/resp/reply_writer.hpp"
#include "preshard/resp/request.hpp"

namespace preshard::command {

// The COMMAND family, answered from the table: COMMAND, COMMAND COUNT / LIST / INFO / DOCS /
// GETKEYS. Writes one reply, in the writer's protocol.
void reply_command(const resp::Request& req, resp::ReplyWriter& w);

// The flags COMMAND INFO shows for a row (Redis's names; "movablekeys" when key positions
// depend on the arguments).
std::vector<std::string_view> flag_names(const CommandSpec& spec);

// One COMMAND INFO entry, subcommands included for containers.
void append_command_info(resp::ReplyWriter& w, const CommandSpec& spec);

}  // namespace preshard::command
