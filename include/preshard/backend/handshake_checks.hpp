#pragma once
// The checks of the connection handshake's steps (HandshakeStep::check), one per step.
#include <string_view>

#include "preshard/backend/stream_conn.hpp"

namespace preshard::backend {

// AUTH [user] password: +OK (the instance takes the proxy's credentials).
StepResult check_auth(std::string_view reply);
// HELLO 3: a map (a Redis older than 6 cannot serve RESP3 clients).
StepResult check_hello3(std::string_view reply);
// SELECT n: +OK (the instance has that database).
StepResult check_select(std::string_view reply);
// ROLE on a connection for the shard's master: a master; a replica or a Sentinel is fenced.
StepResult check_master(std::string_view reply);
// ROLE on a connection for reads from a replica (read_from): a replica that replicates, or a
// master (one promoted meanwhile).
StepResult check_replica(std::string_view reply);

}  // namespace preshard::backend
