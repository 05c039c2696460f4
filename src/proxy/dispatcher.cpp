// What happens to each command once it is parsed: the row decides.
#include "preshard/command/client_modes.hpp"
#include "preshard/command/command_table.hpp"
#include "preshard/command/script_check.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/proxy/ops.hpp"
#include "preshard/proxy/pubsub_hub.hpp"

namespace preshard::proxy {

namespace {

using command::Op;
namespace errors = core::errors;

void refuse(Call& c, const errors::Error& e) {
  stats::ThreadStats::add(c.ctx.stats().refused_commands);
  c.st.cmd_rejected = true;
  c.client.error_now(e);
}

// The op that serves each row (local ops all go to ops::local, which has one handler each).
void serve(Call& c) {
  switch (c.spec.op) {
    case Op::kKeyed:
    case Op::kSplit:
      return ops::keyed(c);
    case Op::kAnyShard:
      return ops::any_shard(c);
    case Op::kAllShards:
      return ops::all_shards(c);
    case Op::kScan:
      return ops::scan(c);
    case Op::kBlocking:
      return ops::blocking(c);
    case Op::kDenied:
      return refuse(c, errors::refused(c.spec.name));
    case Op::kSubscribe:
    case Op::kPsubscribe:
    case Op::kSsubscribe:
    case Op::kUnsubscribe:
    case Op::kPunsubscribe:
    case Op::kSunsubscribe:
    case Op::kPublish:
      return ops::pubsub(c);
    case Op::kInfo:
      return ops::info(c);
    case Op::kProxyInfo:
      return ops::proxy_info(c);
    case Op::kClientList:
    case Op::kClientKill:
    case Op::kClientNoEvict:
    case Op::kClientReply:
    case Op::kClientInfo:
      return ops::clients(c);
    case Op::kSlowlog:
      return ops::slowlog(c);
    case Op::kLatency:
      return ops::latency(c);
    case Op::kEval:
    case Op::kEvalsha:
    case Op::kScriptLoad:
    case Op::kScriptExists:
    case Op::kScriptFlush:
    case Op::kFcall:
    case Op::kFunctionLoad:
    case Op::kFunctionDrop:
      return ops::scripts(c);
    case Op::kProxyReload:
    case Op::kProxyPause:
    case Op::kProxyResume:
      return ops::admin(c);
    case Op::kAcl:
      return ops::acl(c);
    case Op::kConfigChange:  // changes every instance: only where the operator allows it
      if (c.ctx.settings().config_commands != "all_shards") {
        return refuse(c, errors::refused(c.spec.name));
      }
      if (c.spec.name == "config|resetstat") {  // the proxy's own statistics too, as Redis's
        c.ctx.stats().reset_counters();         // this worker's at once: before what follows
        c.ctx.on_every_worker(
            [&self = c.ctx](Context& w) {
              if (&w != &self) w.stats().reset_counters();
              return std::string();
            },
            [](std::vector<std::string>) {});
      }
      return ops::all_shards(c);
    case Op::kContainer:  // lookup() always descends into the subcommand
    case Op::kCount:
    case Op::kMulti:  // transaction ops are taken before
    case Op::kExec:
    case Op::kDiscard:
    case Op::kWatch:
    case Op::kUnwatch:
      return refuse(c, errors::not_supported_yet(c.spec.name));
    default:
      return ops::local(c);
  }
}

}  // namespace

void dispatch(Context& ctx, ClientPort& client, ClientState& st, const resp::Request& req) {
  stats::ThreadStats::add(ctx.stats().total_commands_processed);
  dispatch_again(ctx, client, st, req);
}

void dispatch_again(Context& ctx, ClientPort& client, ClientState& st, const resp::Request& req) {
  stats::ThreadStats& stats = ctx.stats();
  command::Lookup lk = command::lookup(req);
  // Counted under its row when known (an unknown subcommand counts nowhere, as in Redis).
  st.cmd_row =
      lk.status == command::LookupStatus::kOk || lk.status == command::LookupStatus::kWrongArity
          ? lk.id
          : command::CommandTable::kNoRow;
  st.cmd_rejected = lk.status != command::LookupStatus::kOk;
  // Refused while queueing a transaction: EXEC will abort, as in Redis.
  if (lk.status != command::LookupStatus::kOk && st.txn.view().active()) st.txn.edit().mark_dirty();
  switch (lk.status) {
    case command::LookupStatus::kUnknownCommand:
      stats::ThreadStats::add(stats.unknown_commands);
      return client.error_now(errors::unknown_command(req));
    case command::LookupStatus::kUnknownSubcommand:
      stats::ThreadStats::add(stats.unknown_commands);
      return client.error_now(errors::unknown_subcommand(req));
    case command::LookupStatus::kWrongArity:
      stats::ThreadStats::add(stats.unknown_commands);
      if (lk.spec->op == command::Op::kExec) {  // ends the transaction, in MULTI or not
        if (st.txn.allocated()) st.txn.edit().discard_queue();
        ops::unpin(ctx, client, st);
        return client.error_now(errors::exec_refused(errors::wrong_arity(lk.spec->name)));
      }
      return client.error_now(errors::wrong_arity(lk.spec->name));
    case command::LookupStatus::kOk:
      break;
  }
  Call c{ctx, client, st, *lk.spec, req};
  st.last_cmd = lk.spec;
  st.last_active = ctx.coarse_now();
  // The usual client (every right) costs one test here.
  if (!c.st.unrestricted && ops::refused_by_users(c, lk.id)) return;
  // (RESP3 has no subscribed mode: its messages are pushes, beside any reply.)
  if (st.subs.view().any() && st.protocol == resp::Protocol::kResp2 &&
      !command::allowed_when_subscribed(c.spec)) {
    st.cmd_rejected = true;
    return client.error_now(errors::not_when_subscribed(c.spec.name));
  }
  if (c.spec.script_at != 0) {
    std::string called = command::refused_call(c.spec, req);
    if (!called.empty()) {
      if (st.txn.view().active())
        st.txn.edit().mark_dirty();  // refused while queueing: EXEC aborts
      return refuse(c, errors::script_refused(called));
    }
  }
  if (ops::transaction(c)) return;
  serve(c);
}

bool wait_for_earlier(ClientPort& client) {
  if (client.all_answered()) return false;
  client.dispatch_when_answered();
  return true;
}

void after_reply(Context& ctx, ClientState& st, bool blocking_answered) {
  if (st.txn.view().releasing()) ops::release_pin_if_idle(ctx, st);
  if (blocking_answered && st.blocking_conn) {
    ctx.backends().release_dedicated(std::move(st.blocking_conn));
  }
}

void release_client(Context& ctx, ClientPort& client, ClientState& st) {
  // Blocked in an instance: close that connection so the instance stops waiting for us.
  if (st.blocking_conn) ctx.backends().discard_dedicated(std::move(st.blocking_conn));
  // Its WATCH dies with it (and a pending UNWATCH is not worth waiting for).
  if (st.txn.allocated()) {
    for (auto& pin : st.txn.edit().take_all()) ctx.backends().discard_dedicated(std::move(pin));
  }
  ops::unsubscribe_all(ctx, client, st);
}

}  // namespace preshard::proxy
