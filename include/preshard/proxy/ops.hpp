#pragma once
// The ways of serving a command, one file each (src/proxy/<file>.cpp), and the dispatcher that
// picks one by the command's row. The proxy never sees a socket: it talks to the client through
// ClientPort and keeps the client's state in ClientState.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "preshard/backend/pipeline_conn.hpp"
#include "preshard/command/command_spec.hpp"
#include "preshard/proxy/client_port.hpp"
#include "preshard/proxy/client_state.hpp"
#include "preshard/proxy/context.hpp"
#include "preshard/resp/reply_writer.hpp"
#include "preshard/resp/request.hpp"

namespace preshard::proxy {

// One command being served.
struct Call {
  Context& ctx;
  ClientPort& client;
  ClientState& st;
  const command::CommandSpec& spec;
  const resp::Request& req;
};

// Writes one reply in the client's protocol and hands it to the client at once.
template <typename Write>
void reply(Call& c, Write&& write) {
  std::string out;
  resp::ReplyWriter w(out, c.st.protocol);
  write(w);
  c.client.reply_now(out);
}

// dispatcher.cpp: lookup, the gates (arity, subscribed mode, MULTI), then the row's op.
void dispatch(Context& ctx, ClientPort& client, ClientState& st, const resp::Request& req);
// The same for a command that asked for dispatch_when_answered() (counted once, by dispatch).
void dispatch_again(Context& ctx, ClientPort& client, ClientState& st, const resp::Request& req);
// True when the command must wait for the client's earlier commands (dispatch_when_answered).
bool wait_for_earlier(ClientPort& client);
// After any reply reached the client: a released WATCH pin goes back once idle; a blocking
// command's connection goes back once answered.
void after_reply(Context& ctx, ClientState& st, bool blocking_answered);
// The client is gone: what it held on instances is let go.
void release_client(Context& ctx, ClientPort& client, ClientState& st);

namespace ops {
// forward.cpp: keyed commands, split, broadcast, any shard.
// The shard of the command's first key (0 without keys or with malformed key arguments: Redis
// then refuses it itself); `spans` says whether its keys are on several shards.
size_t locate(Call& c, bool& spans);
void keyed(Call& c);
// SORT/SORT_RO whose BY or GET pattern may form keys on another shard than `shard`: the error.
std::optional<core::errors::Error> sort_refusal(Call& c, size_t shard);
void any_shard(Call& c);
void all_shards(Call& c);
// `sink`: where the reply goes instead of the client (which still owns the slot).
void to_shard(Call& c, size_t shard, std::shared_ptr<backend::ReplySink> sink = nullptr);
// pubsub_counts.cpp: PUBLISH; and for NUMSUB/SHARDNUMSUB, where the merged reply goes when the
// instances' counts need the proxy's clients added (null: not such a command, or nothing to add).
void publish(Call& c);
std::shared_ptr<backend::ReplySink> numsub_sink(Call& c);
// The connection a command for `shard` goes on: the WATCH pin while it serves that shard, so
// the client's own commands stay in order with its WATCH and EXEC.
backend::PipelineConn& backend_for(Context& ctx, ClientState& st, size_t shard);
backend::PipelineConn* current_pin(Context& ctx, ClientState& st);
// blocking.cpp
void blocking(Call& c);
// scan_request.cpp
void scan(Call& c);
// info.cpp
void info(Call& c);
void info_live(Call& c);  // info_live.cpp: INFO that asks every shard
// PROXY INFO <shard> [section ...]: that shard's instance's own INFO.
void proxy_info(Call& c);
// transaction.cpp: returns false when the command is not the transaction's business.
bool transaction(Call& c);
void unpin(Context& ctx, ClientPort& client, ClientState& st);
// multi_probe.cpp: the command being queued, checked by `shard`'s instance as Redis checks it
// at queue time (MULTI, the command, DISCARD): the client gets QUEUED or the instance's error.
void probe_queued(Call& c, size_t shard);
// EXEC while a script may keep `shard` busy goes on its side connection (Redis refuses an EXEC
// with BUSY there): only for a RESP2 client, without WATCH, shard not paused.
bool exec_on_side_connection(Call& c, size_t shard);
// Sends the EXEC block there, in the client's database (SELECT before it, SELECT 0 after).
void exec_block_on_side_connection(Call& c, size_t shard, std::vector<resp::Request> block,
                                   std::shared_ptr<backend::ReplySink> sink);
// A dirty transaction's EXEC there: the instance's refusal if it is busy, else EXECABORT.
void exec_abort_as_instance(Call& c, size_t shard);
void release_pin_if_idle(Context& ctx, ClientState& st);
// pubsub.cpp
void pubsub(Call& c);
void unsubscribe_all(Context& ctx, ClientPort& client, ClientState& st);
// scripts.cpp: EVAL, EVALSHA, SCRIPT LOAD/EXISTS/FLUSH through the script cache.
void scripts(Call& c);
// The SCRIPT LOADs to send on `conn` before `reqs` (a command, or a transaction's queue) so
// that their EVALSHAs of scripts this proxy knows find them there; EVAL bodies are learnt.
std::vector<resp::Request> script_loads(Context& ctx, PipelineConn& conn,
                                        std::span<const resp::Request> reqs);
// clients.cpp: CLIENT INFO, LIST, KILL, NO-EVICT over the proxy's own clients.
void clients(Call& c);
// slowlog.cpp: SLOWLOG and LATENCY of the proxy itself.
void slowlog(Call& c);
void latency(Call& c);
// command_docs.cpp: the COMMAND subcommands the instances answer (DOCS, with preshard's notes).
bool command_from_instance(Call& c);
// busy_ping.cpp: PING goes to the client's shard while a script runs there (the instance may
// answer BUSY); false: the proxy answers it.
bool ping_busy_shard(Call& c);
// local.cpp: the commands the proxy answers itself.
void local(Call& c);
// admin.cpp: PROXY RELOAD/PAUSE/RESUME.
void admin(Call& c);
// acl_gate.cpp: NOAUTH and NOPERM before anything is sent; true when the command was refused.
bool refused_by_users(Call& c, uint16_t row);
// The AUTH of AUTH and HELLO: binds the client to the user, or counts and logs the failure
// (with the client's address, never the password); false when refused (nothing is replied).
bool authenticate(Call& c, std::string_view user, std::string_view password);
// acl_commands.cpp: ACL WHOAMI, USERS, LIST, GETUSER, CAT, DRYRUN, GENPASS, HELP.
void acl(Call& c);
}  // namespace ops

}  // namespace preshard::proxy
