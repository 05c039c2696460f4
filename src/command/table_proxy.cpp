// Command table rows: preshard's own commands (no Redis counterpart).
#include "preshard/command/families.hpp"

namespace preshard::command {

namespace {
constexpr CommandSpec kRows[] = {
    {"proxy", -2, kProxyOnly, 0, 0, 0, Route::kContainer},
    {"proxy|help", 2, kProxyOnly | kLoading | kStale, 0, 0, 0, Route::kLocal},
    {"proxy|pause", -3, kProxyOnly | kAdmin, 0, 0, 0, Route::kLocal},
    {"proxy|reload", 2, kProxyOnly | kAdmin, 0, 0, 0, Route::kLocal},
    {"proxy|resume", -3, kProxyOnly | kAdmin, 0, 0, 0, Route::kLocal},
    {"proxy|shard", 3, kProxyOnly | kFast, 0, 0, 0, Route::kLocal},
};
}  // namespace

constexpr std::span<const CommandSpec> kProxyCommands{kRows};

}  // namespace preshard::command
