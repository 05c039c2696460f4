#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "preshard/core/errors.hpp"

namespace preshard::backend {

// Receives the outcome of one command sent to an instance. `tag` is the sink's own number for
// the command (a client's reply slot, or a part of a split command).
class ReplySink {
 public:
  virtual ~ReplySink() = default;
  // The instance's reply, exactly as it sent it. Valid only during the call.
  virtual void on_reply(uint64_t tag, std::string_view raw) = 0;
  // The command could not be answered; `error` is what the client is told ("ERR shard ...").
  virtual void on_failure(uint64_t tag, const core::errors::Error& error) = 0;
};

}  // namespace preshard::backend
