#pragma once
#include "preshard/command/command_spec.hpp"

namespace preshard::command {

// What a command does while its client is inside MULTI.
enum class InMulti : uint8_t {
  kQueue,    // queued, sent with EXEC to the transaction's shard
  kControl,  // MULTI, EXEC, DISCARD, WATCH: the transaction logic handles it
  kRunNow,   // QUIT, RESET: run at once, as Redis does
  kRefuse,   // cannot run inside one shard's transaction: an error, and EXEC aborts
};
InMulti in_multi(const CommandSpec& spec);

// In subscribed mode Redis (RESP2) accepts only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT
// and RESET.
bool allowed_when_subscribed(const CommandSpec& spec);

}  // namespace preshard::command
