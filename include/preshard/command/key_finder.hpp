#pragma once
#include <cstddef>
#include <vector>

#include "preshard/command/command_spec.hpp"
#include "preshard/resp/request.hpp"

namespace preshard::command {

enum class KeysStatus {
  kOk,         // `out` holds the argument indexes of every key (possibly none)
  kMalformed,  // the arguments that place the keys are invalid; Redis itself refuses the command
};

// Finds the keys of `req` as Redis's getkeys procedures do. The request passed the arity check.
KeysStatus find_keys(const CommandSpec& spec, const resp::Request& req, std::vector<size_t>& out);

}  // namespace preshard::command
