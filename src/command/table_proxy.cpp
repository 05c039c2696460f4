// Command table rows: preshard's own commands (no Redis counterpart).
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"proxy", -2, kProxyOnly, kAclSlow, 0, 0, 0, Op::kContainer},
    {"proxy|help", 2, kProxyOnly | kLoading | kStale, kAclSlow | kAclConnection, 0, 0, 0,
     Op::kProxyHelp},
    {"proxy|info", -3, kProxyOnly | kLoading | kStale, kAclSlow | kAclDangerous, 0, 0, 0,
     Op::kProxyInfo},
    {"proxy|pause", -3, kProxyOnly | kAdmin, kAclProxyAdmin | kAclSlow, 0, 0, 0, Op::kProxyPause},
    {"proxy|reload", 2, kProxyOnly | kAdmin, kAclProxyAdmin | kAclSlow, 0, 0, 0, Op::kProxyReload},
    {"proxy|resume", -3, kProxyOnly | kAdmin, kAclProxyAdmin | kAclSlow, 0, 0, 0, Op::kProxyResume},
    {"proxy|shard", 3, kProxyOnly | kFast, kAclFast | kAclConnection, 0, 0, 0, Op::kProxyShard},
};
}  // namespace

constexpr std::span<const CommandSpec> kProxyCommands{kRows};

}  // namespace preshard::command
