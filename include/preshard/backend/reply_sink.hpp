#pragma once
#include <cstdint>
#include <functional>
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

  // A reply too large to gather (reply_stream_bytes) may come in parts, if the sink passes them
  // on as they come: stream_begin(tag) says whether it does. Then stream_part() for each part
  // but the last, which comes through on_reply(); on_failure() instead means the reply was cut
  // off. stream_part() returns false to have the parts stop until `resume` is called (the sink
  // keeps it; calling it later, from anywhere, is safe).
  virtual bool stream_begin(uint64_t /*tag*/) { return false; }
  virtual bool stream_part(uint64_t /*tag*/, std::string_view /*part*/,
                           std::function<void()> /*resume*/) {
    return true;
  }
};

}  // namespace preshard::backend
