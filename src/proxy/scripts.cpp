// Scripts through the proxy's script cache (issue 16, item 2): EVAL and SCRIPT LOAD remember a
// script's body, so that EVALSHA works on every shard. A connection that has not loaded a known
// script yet gets SCRIPT LOAD right before the EVALSHA, on the same connection: nothing is
// retried after a NOSCRIPT, so nothing is reordered. Functions alike: FUNCTION LOAD (sent to
// every shard) remembers the library, and a connection that has not sent it yet gets
// `FUNCTION LOAD <code>` (without REPLACE: where the library exists it answers an error nobody
// sees) right before the FCALL of one of its functions.
#include "preshard/command/command_table.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/proxy/ops.hpp"
#include "preshard/proxy/script_cache.hpp"
#include "preshard/resp/ascii.hpp"

namespace preshard::proxy::ops {

namespace {

namespace errors = core::errors;
using command::Op;

// Passes an instance's reply on, and remembers the script unless it did not compile.
class ScriptLearner : public backend::ReplySink {
 public:
  ScriptLearner(std::shared_ptr<ReplySink> client, std::shared_ptr<ScriptStore> store,
                std::string sha, std::string body, size_t max_bytes)
      : client_(std::move(client)),
        store_(std::move(store)),
        sha_(std::move(sha)),
        body_(std::move(body)),
        max_bytes_(max_bytes) {}
  void on_reply(uint64_t tag, std::string_view raw) override {
    if (!is_compile_error(raw)) store_->put(sha_, body_, max_bytes_);
    client_->on_reply(tag, raw);
  }
  void on_failure(uint64_t tag, const errors::Error& e) override { client_->on_failure(tag, e); }

 private:
  std::shared_ptr<ReplySink> client_;
  std::shared_ptr<ScriptStore> store_;
  std::string sha_, body_;
  size_t max_bytes_;
};

size_t cache_bytes(Context& ctx) {
  return ctx.settings().script_cache_max_bytes;
}

// The shard of a script's keys, or nullopt (and CROSSSHARD answered) when they span shards.
std::optional<size_t> script_shard(Call& c) {
  bool spans = false;
  size_t shard = locate(c, spans);
  if (!spans) return shard;
  stats::ThreadStats::add(c.ctx.stats().crossshard_errors);
  c.st.cmd_rejected = true;
  c.client.error_now(errors::kCrossShard);
  return std::nullopt;
}

// Sends `req`, which runs or loads the script `body` (named `sha`), remembering the body once
// the instance accepted it.
void send_learning(Call& c, PipelineConn& conn, const std::string& sha, std::string_view body,
                   bool runs) {
  std::shared_ptr<backend::ReplySink> sink = c.client.shared();
  if (c.ctx.scripts().find(sha, cache_bytes(c.ctx)) == nullptr) {
    sink = std::make_shared<ScriptLearner>(std::move(sink), c.ctx.scripts().store(), sha,
                                           std::string(body), cache_bytes(c.ctx));
  }
  conn.submit(c.req, std::move(sink), c.client.reserve(), runs);
  conn.note_script_loaded(sha, c.ctx.scripts().generation());
}

void eval(Call& c) {
  auto shard = script_shard(c);
  if (!shard) return;
  send_learning(c, backend_for(c.ctx, c.st, *shard), script_sha(c.req[1]), c.req[1], true);
}

// EVALSHA and FCALL: what the connection lacks goes first, in the same write.
void run_loaded(Call& c) {
  auto shard = script_shard(c);
  if (!shard) return;
  PipelineConn& conn = backend_for(c.ctx, c.st, *shard);
  std::vector<resp::Request> block = script_loads(c.ctx, conn, {&c.req, 1});
  if (block.empty()) return conn.submit(c.req, c.client.shared(), c.client.reserve(), true);
  block.push_back(c.req);
  conn.submit_block(block, c.client.shared(), c.client.reserve(), ClientPort::kNoSlot, true);
}

// Compiled on shard 0 (so a syntax error comes back in Redis's words), then loaded on the
// other shards by the first EVALSHA that needs it there.
void script_load(Call& c) {
  send_learning(c, backend_for(c.ctx, c.st, 0), script_sha(c.req[2]), c.req[2], false);
}

// As one Redis would answer: whether EVALSHA of it works through this proxy.
void script_exists(Call& c) {
  reply(c, [&](resp::ReplyWriter& w) {
    w.array(c.req.size() - 2);
    for (size_t i = 2; i < c.req.size(); ++i) {
      w.integer(c.ctx.scripts().find(c.req[i], cache_bytes(c.ctx)) != nullptr ? 1 : 0);
    }
  });
}

}  // namespace

std::vector<resp::Request> script_loads(Context& ctx, PipelineConn& conn,
                                        std::span<const resp::Request> reqs) {
  std::vector<resp::Request> loads;
  for (const resp::Request& r : reqs) {
    command::Lookup lk = command::lookup(r);
    if (lk.status != command::LookupStatus::kOk) continue;
    if (lk.spec->op == Op::kEval) {  // queued in MULTI: known from now on (it is sent now)
      std::string sha = script_sha(r[1]);
      ctx.scripts().learn(sha, r[1], cache_bytes(ctx));
      conn.note_script_loaded(sha, ctx.scripts().generation());
      continue;
    }
    if (lk.spec->op == Op::kFcall) {
      const Library* lib = ctx.functions().library_of(r[1]);
      // Marked with a prefix no SHA1 has, in the connection's set of loaded scripts.
      std::string mark = lib ? "lib:" + lib->name : "";
      if (lib == nullptr || conn.script_loaded(mark, ctx.scripts().generation())) continue;
      loads.push_back(resp::Request{"FUNCTION", "LOAD", lib->code});
      conn.note_script_loaded(mark, ctx.scripts().generation());
      continue;
    }
    if (lk.spec->op != Op::kEvalsha) continue;
    const std::string* body = ctx.scripts().find(r[1], cache_bytes(ctx));
    if (body == nullptr) continue;  // not loaded through this proxy: the instance decides
    std::string sha = script_sha(*body);
    if (conn.script_loaded(sha, ctx.scripts().generation())) continue;
    loads.push_back(resp::Request{"SCRIPT", "LOAD", *body});
    conn.note_script_loaded(sha, ctx.scripts().generation());
  }
  return loads;
}

void scripts(Call& c) {
  switch (c.spec.op) {
    case Op::kEval:
      return eval(c);
    case Op::kEvalsha:
    case Op::kFcall:
      return run_loaded(c);
    case Op::kFunctionLoad:  // remembered as sent (one that does not load: a preload fails unseen)
      c.ctx.functions().libraries().put(c.req[c.req.size() - 1], cache_bytes(c.ctx));
      return all_shards(c);
    case Op::kFunctionDrop:
      if (c.req.size() == 3 && resp::arg_is(c.req[1], "delete")) {
        c.ctx.functions().libraries().drop(c.req[2]);
      } else {
        c.ctx.functions().libraries().flush();
      }
      return all_shards(c);
    case Op::kScriptLoad:
      return script_load(c);
    case Op::kScriptExists:
      return script_exists(c);
    default:  // kScriptFlush: the instances', and the cache
      c.ctx.scripts().store()->flush();
      return all_shards(c);
  }
}

}  // namespace preshard::proxy::ops
