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

// The options of XREAD/XREADGROUP before STREAMS, scanned as Redis scans them.
struct XreadOptions {
  bool block = false;     // BLOCK was given
  size_t block_at = 0;    // index of its milliseconds argument (0 if missing)
  size_t streams_at = 0;  // index of the STREAMS keyword; 0 if absent or after a syntax error
};
XreadOptions scan_xread_options(const resp::Request& req);

// Finds the keys of `req` as Redis's getkeys procedures do. The request passed the arity check.
KeysStatus find_keys(const CommandSpec& spec, const resp::Request& req, std::vector<size_t>& out);

}  // namespace preshard::command
