#pragma once
#include <string_view>

#include "preshard/command/command_spec.hpp"

namespace preshard::command {

// What a command does while its client is inside MULTI.
enum class InMulti : uint8_t {
  kQueue,    // queued, sent with EXEC to the transaction's shard
  kControl,  // MULTI, EXEC, DISCARD, WATCH: the transaction logic handles it
  kRunNow,   // QUIT, RESET: run at once, as Redis does
  kRefuse,   // cannot run inside one shard's transaction: an error, and EXEC aborts
};
// How each op behaves in a client mode: one line per op (client_modes.cpp).
struct OpInfo {
  std::string_view text;  // how preshard serves it, for COMMAND DOCS
  InMulti in_multi;
  bool when_subscribed;  // allowed in subscribed mode (RESP2)
};
const OpInfo& op_info(Op op);

inline InMulti in_multi(const CommandSpec& spec) {
  return op_info(spec.op).in_multi;
}
// In subscribed mode Redis (RESP2) accepts only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT
// and RESET.
inline bool allowed_when_subscribed(const CommandSpec& spec) {
  return op_info(spec.op).when_subscribed;
}

// The name of an ACL category ("read", "proxyadmin"), and all of them in bit order.
std::string_view acl_category_name(uint32_t bit_index);

}  // namespace preshard::command
