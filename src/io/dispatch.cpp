// Session: what happens to each command once it is parsed.
#include "preshard/command/command_table.hpp"
#include "preshard/command/key_finder.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/io/backend_pool.hpp"
#include "preshard/io/session.hpp"
#include "preshard/io/worker.hpp"
#include "preshard/resp/encode.hpp"

namespace preshard::io {

namespace {

using command::Route;
namespace errors = core::errors;

}  // namespace

void Session::dispatch(const resp::Request& req) {
  stats::ThreadStats& st = worker_.stats();
  stats::ThreadStats::add(st.total_commands_processed);
  command::Lookup lk = command::lookup(req);
  switch (lk.status) {
    case command::LookupStatus::kUnknownCommand:
      stats::ThreadStats::add(st.unknown_commands);
      reply_error(errors::unknown_command(req));
      return;
    case command::LookupStatus::kUnknownSubcommand:
      stats::ThreadStats::add(st.unknown_commands);
      reply_error(errors::unknown_subcommand(req));
      return;
    case command::LookupStatus::kWrongArity:
      stats::ThreadStats::add(st.unknown_commands);
      reply_error(errors::wrong_arity(lk.spec->name));
      return;
    case command::LookupStatus::kOk:
      break;
  }
  const command::CommandSpec& spec = *lk.spec;
  switch (spec.route) {
    case Route::kKeyed:
    case Route::kSplit:
      forward_keyed(spec, req);
      return;
    case Route::kAnyShard:
      forward(0, req);
      return;
    case Route::kLocal:
      run_local(spec, req);
      return;
    case Route::kDenied:
      stats::ThreadStats::add(st.refused_commands);
      reply_error(errors::refused(spec.name));
      return;
    case Route::kContainer:  // lookup() always descends into the subcommand
    case Route::kAllShards:
    case Route::kTransaction:
    case Route::kBlocking:
    case Route::kPubSub:
    case Route::kScan:
      stats::ThreadStats::add(st.refused_commands);
      reply_error(errors::not_supported_yet(spec.name));
      return;
  }
}

void Session::forward_keyed(const command::CommandSpec& spec, const resp::Request& req) {
  // MSET's arity check is Redis's own (pairs), done here since split parts would hide it.
  if (spec.route == Route::kSplit && spec.step == 2 && req.size() % 2 == 0) {
    reply_error(errors::wrong_arity(spec.name));
    return;
  }
  // XREAD ... BLOCK would hold the shared connection: it needs a dedicated one.
  if (spec.has(command::kBlocking) && command::scan_xread_options(req).block) {
    stats::ThreadStats::add(worker_.stats().refused_commands);
    reply_error(errors::not_supported_yet(std::string(spec.name) + " with BLOCK"));
    return;
  }
  const router::RoutingTable& table = worker_.table();
  size_t shard = 0;
  // Malformed key arguments: Redis refuses the command with its own error and no side effect,
  // so any shard may answer (shard 0). No keys at all (EVAL with numkeys 0): shard 0 too.
  if (command::find_keys(spec, req, keys_) == command::KeysStatus::kOk && !keys_.empty()) {
    shard = table.shard_of(req[keys_[0]]);
    for (size_t i = 1; i < keys_.size(); ++i) {
      if (table.shard_of(req[keys_[i]]) != shard) {
        stats::ThreadStats::add(worker_.stats().crossshard_errors);
        reply_error(errors::kCrossShard);
        return;
      }
    }
  }
  forward(shard, req);
}

void Session::forward(size_t shard, const resp::Request& req) {
  uint64_t seq = replies_.reserve();
  worker_.backends().conn(shard).submit(req, shared_from_this(), seq);
}

void Session::reply_raw(std::string_view raw) {
  uint64_t seq = replies_.reserve();
  replies_.complete(seq, raw, out_);
  request_flush();
}

void Session::reply_error(std::string_view text) {
  scratch_.clear();
  resp::append_error(scratch_, text);
  reply_raw(scratch_);
}

}  // namespace preshard::io
