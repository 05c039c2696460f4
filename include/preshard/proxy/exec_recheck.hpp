#pragma once
// EXEC's second look at the queued commands' rights (Redis re-checks at EXEC: the user's rules
// may have changed since the commands were queued; here, by a reload).
#include <memory>
#include <string>
#include <vector>

#include "preshard/acl/permission.hpp"
#include "preshard/backend/reply_sink.hpp"
#include "preshard/resp/request.hpp"

namespace preshard::proxy {

// A queued command refused at EXEC: its position in the transaction, and its error reply.
struct ExecDenial {
  size_t position;
  std::string error;
};

// The user's verdict on a command (keys found into `keys`, scratch).
acl::Denied denial(const acl::User& u, const command::CommandSpec& spec, uint16_t row,
                   const resp::Request& req, std::vector<size_t>& keys);

// Removes from `queued` the commands `u` may no longer run; returns them, by position.
std::vector<ExecDenial> recheck_queued(const acl::User& u, std::vector<resp::Request>& queued);

// A sink that puts the refused commands' errors into EXEC's array at their positions, then
// passes the reply to `to` (`to` itself when nothing was refused).
std::shared_ptr<backend::ReplySink> splice_denials(std::shared_ptr<backend::ReplySink> to,
                                                   std::vector<ExecDenial> denied);

}  // namespace preshard::proxy
