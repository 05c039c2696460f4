#pragma once
#include "preshard/resp/reply_writer.hpp"

namespace preshard::backend {

// What an instance connection is set up for in its handshake: the protocol its replies come in
// (HELLO 3) and the database its commands run in (SELECT). A client's commands go only on
// connections of its own mode, so no reply is converted and no SELECT is ever sent on a
// connection that other clients share.
struct ConnMode {
  resp::Protocol protocol = resp::Protocol::kResp2;
  int db = 0;
  bool operator==(const ConnMode&) const = default;
};

}  // namespace preshard::backend
