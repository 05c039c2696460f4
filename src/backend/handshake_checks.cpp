// What each handshake step's reply must be (backend/handshake_checks.hpp).
#include "preshard/backend/handshake_checks.hpp"

#include <algorithm>

namespace preshard::backend {

namespace {
// The reply's first line, shortened, for a refusal's text.
std::string first_line(std::string_view reply) {
  return std::string(reply.substr(0, std::min<size_t>(reply.find('\r'), 80)));
}
}  // namespace

// AUTH's reply: anything but OK (WRONGPASS, or "AUTH called without any password configured")
// means the instance refuses the proxy's credentials; a failure like a refused connect, with
// its backoff.
StepResult check_auth(std::string_view reply) {
  if (reply == "+OK\r\n") return "";
  return "the instance refuses the proxy's credentials (backend_user/backend_password): AUTH: " +
         first_line(reply);
}

// HELLO 3's reply is a map; anything else (an error from a Redis older than 6) means the
// instance cannot serve RESP3 clients.
StepResult check_hello3(std::string_view reply) {
  if (!reply.empty() && reply[0] == '%') return "";
  return "instance does not speak RESP3 (HELLO 3: " + first_line(reply) + ")";
}

// SELECT's reply: a db the instance does not have (its `databases` is smaller) is refused.
StepResult check_select(std::string_view reply) {
  if (reply == "+OK\r\n") return "";
  return "SELECT: " + first_line(reply);
}

// ROLE's reply: an array whose first element is the role. A master is fine; a replica (or a
// Sentinel) is fenced; anything else (ROLE refused by the instance's ACL) is a failure.
StepResult check_master(std::string_view reply) {
  if (reply.size() > 2 && reply[0] == '*') {
    std::string_view first = reply.substr(reply.find("\r\n") + 2);
    if (first.starts_with("$6\r\nmaster\r\n")) return "";
    if (first.starts_with("$5\r\nslave\r\n")) return {"replica", true};
    if (first.starts_with("$8\r\nsentinel\r\n")) return {"Sentinel", true};
  }
  return "ROLE: " + first_line(reply) + " (role_check needs ROLE)";
}

// A replica for reads must be replicating (ROLE's state "connected"), or its data may be far
// behind; a replica promoted meanwhile (a master) serves reads as well.
StepResult check_replica(std::string_view reply) {
  if (reply.size() > 2 && reply[0] == '*') {
    std::string_view first = reply.substr(reply.find("\r\n") + 2);
    if (first.starts_with("$6\r\nmaster\r\n")) return "";
    if (first.starts_with("$5\r\nslave\r\n")) {
      if (reply.find("$9\r\nconnected\r\n") != std::string_view::npos) return "";
      return "replica not in sync with its master";
    }
  }
  return "ROLE: " + first_line(reply) + " (role_check needs ROLE)";
}

}  // namespace preshard::backend
