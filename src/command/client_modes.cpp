#include "preshard/command/client_modes.hpp"

#include <algorithm>
#include <string_view>

namespace preshard::command {

namespace {
bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}
}  // namespace

InMulti in_multi(const CommandSpec& spec) {
  switch (spec.route) {
    case Route::kTransaction:
      return spec.name == "unwatch" ? InMulti::kQueue : InMulti::kControl;
    case Route::kKeyed:
    case Route::kSplit:     // queued when its keys are on the transaction's shard
    case Route::kAnyShard:  // keyless: the transaction's shard answers
    case Route::kBlocking:  // Redis runs blocking commands inside MULTI without blocking
      return InMulti::kQueue;
    case Route::kLocal:
      if (one_of(spec.name, {"quit", "reset"})) return InMulti::kRunNow;
      // The instance answers these exactly as the proxy would.
      return one_of(spec.name, {"ping", "echo"}) ? InMulti::kQueue : InMulti::kRefuse;
    case Route::kAllShards:  // a whole-keyspace answer cannot come from one shard
    case Route::kScan:
    case Route::kPubSub:
    case Route::kDenied:
    case Route::kContainer:
      return InMulti::kRefuse;
  }
  return InMulti::kRefuse;
}

bool allowed_when_subscribed(const CommandSpec& spec) {
  return one_of(spec.name, {"subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe",
                            "sunsubscribe", "ping", "quit", "reset"});
}

}  // namespace preshard::command
