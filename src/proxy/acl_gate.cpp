// Users on the request path: authentication required, and each command's rights, checked by the
// dispatcher before anything reaches an instance (Redis 7.0's processCommand order).
#include <spdlog/spdlog.h>

#include "preshard/acl/permission.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/proxy/exec_recheck.hpp"
#include "preshard/proxy/ops.hpp"

namespace preshard::proxy::ops {

namespace errors = core::errors;

namespace {

bool refuse(Call& c, const errors::Error& e, stats::Counter& counter) {
  stats::ThreadStats::add(counter);
  c.st.cmd_rejected = true;
  if (c.st.txn.view().active())
    c.st.txn.edit().mark_dirty();  // refused while queueing: EXEC aborts
  c.client.error_now(e);
  return true;
}

}  // namespace

bool refused_by_users(Call& c, uint16_t row) {
  stats::ThreadStats& stats = c.ctx.stats();
  if (!c.st.authenticated && !c.spec.has(command::kNoAuth) && c.ctx.users().auth_required()) {
    return refuse(c, errors::kNoAuth, stats.refused_commands);
  }
  switch (denial(*c.st.acl_user, c.spec, row, c.req, c.st.keys)) {
    case acl::Denied::kNone:
      return false;
    case acl::Denied::kCommand:
      return refuse(c, errors::no_perm_command(c.spec.name), stats.acl_access_denied_cmd);
    case acl::Denied::kKey:
      return refuse(c, errors::kNoPermKey, stats.acl_access_denied_key);
    case acl::Denied::kChannel:
      return refuse(c, errors::kNoPermChannel, stats.acl_access_denied_channel);
  }
  return false;
}

bool authenticate(Call& c, std::string_view user, std::string_view password) {
  const acl::User* u = c.ctx.users().authenticate(user, password);
  if (u == nullptr) {
    stats::ThreadStats::add(c.ctx.stats().acl_access_denied_auth);
    spdlog::warn("client {}: AUTH as '{}' failed (wrong password, or no such user, or off)",
                 c.client.peer(), user.substr(0, 64));
    return false;
  }
  c.st.set_user(*u, true);
  return true;
}

}  // namespace preshard::proxy::ops
