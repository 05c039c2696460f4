// A command queued in MULTI is answered as the instance answers it at that moment: Redis
// refuses it there (OOM, BUSY, LOADING, MISCONF, READONLY...) and then aborts the EXEC. The
// proxy keeps the queue itself (EXEC sends it as one block), so the instance is asked in a
// MULTI ... DISCARD of its own: the command is checked and queued there, never run. It goes on
// the shard's side connection: an instance busy with a script reads nothing from the shared
// connection that sent it, and no check depends on the client's database or protocol.
#include <optional>

#include "preshard/proxy/ops.hpp"

namespace preshard::proxy::ops {

namespace {

// Takes the block's replies: MULTI's (hidden), the command's (kept), DISCARD's (the end).
class ProbeSink : public backend::ReplySink {
 public:
  ProbeSink(std::shared_ptr<ClientPort> client, std::shared_ptr<Transaction::Probes> probes,
            size_t shard)
      : client_(std::move(client)), probes_(std::move(probes)), shard_(shard) {
    ++probes_->in_flight;
  }
  void on_reply(uint64_t tag, std::string_view raw) override {
    if (tag == ClientPort::kNoSlot) {
      // A MULTI the instance refused leaves the command run on its own: say so, abort EXEC.
      if (++seen_ == 1 && raw.substr(0, 3) != "+OK") {
        error_ = core::errors::queue_check_refused(shard_, raw);
      }
      if (seen_ == 2) answer_.assign(raw);
      return;
    }
    finish(tag, nullptr);
  }
  void on_failure(uint64_t tag, const core::errors::Error& error) override {
    if (tag == ClientPort::kNoSlot) {
      ++seen_;
      if (!error_) error_ = error;
      return;
    }
    finish(tag, &error);
  }

 private:
  void finish(uint64_t slot, const core::errors::Error* last) {
    --probes_->in_flight;
    if (!error_ && answer_.empty()) error_ = last ? *last : core::errors::kUnexpectedReply;
    if (error_) {
      probes_->refused = true;
      return client_->on_failure(slot, *error_);
    }
    if (answer_[0] == '-') probes_->refused = true;  // Redis flags the transaction the same
    client_->on_reply(slot, answer_);
  }
  std::shared_ptr<ClientPort> client_;
  std::shared_ptr<Transaction::Probes> probes_;
  size_t shard_;
  int seen_ = 0;
  std::string answer_;
  std::optional<core::errors::Error> error_;
};

// An empty MULTI ... EXEC: Redis refuses the EXEC of a busy instance with "EXECABORT ...
// because of: BUSY ...", which takes precedence over the transaction's earlier errors.
class ExecAbortSink : public backend::ReplySink {
 public:
  explicit ExecAbortSink(std::shared_ptr<ClientPort> client) : client_(std::move(client)) {}
  void on_reply(uint64_t tag, std::string_view raw) override {
    if (tag == ClientPort::kNoSlot) return;
    if (!raw.empty() && raw[0] == '-') return client_->on_reply(tag, raw);
    client_->on_failure(tag, core::errors::kExecAbort);
  }
  void on_failure(uint64_t tag, const core::errors::Error&) override {
    if (tag != ClientPort::kNoSlot) client_->on_failure(tag, core::errors::kExecAbort);
  }

 private:
  std::shared_ptr<ClientPort> client_;
};

}  // namespace

bool exec_on_side_connection(Call& c, size_t shard) {
  if (c.ctx.settings().multi_queue_check != "instance") return false;
  if (!c.ctx.state().script_in_flight(shard)) return false;
  // The side connection speaks RESP2, holds no WATCH, and is not held by a pause.
  if (c.st.txn.view().pin() || c.st.txn.view().releasing() ||
      c.st.protocol != resp::Protocol::kResp2 || c.ctx.backends().paused(shard)) {
    return false;
  }
  // Its SELECT of the client's database must not fail, or the block would run in db 0: that
  // instance has taken the database already (the client's own connection to it is up).
  return c.st.db == 0 || c.ctx.backends().conn(shard, c.st.mode()).ready();
}

void exec_block_on_side_connection(Call& c, size_t shard, std::vector<resp::Request> block,
                                   std::shared_ptr<backend::ReplySink> sink) {
  backend::PipelineConn& side = c.ctx.backends().side_conn(shard);
  if (c.st.db != 0) block.insert(block.begin(), resp::Request{"SELECT", std::to_string(c.st.db)});
  side.submit_block(block, sink, c.client.reserve(), ClientPort::kNoSlot);
  // Back to db 0 for what else it carries (its other users do not depend on it).
  static const resp::Request kSelect0{"SELECT", "0"};
  if (c.st.db != 0) side.submit(kSelect0, std::move(sink), ClientPort::kNoSlot);
}

void exec_abort_as_instance(Call& c, size_t shard) {
  static const resp::Request kCheck[] = {resp::Request{"MULTI"}, resp::Request{"EXEC"}};
  c.ctx.backends().side_conn(shard).submit_block(kCheck,
                                                 std::make_shared<ExecAbortSink>(c.client.shared()),
                                                 c.client.reserve(), ClientPort::kNoSlot);
}

void probe_queued(Call& c, size_t shard) {
  static const resp::Request kMulti{"MULTI"};
  static const resp::Request kDiscard{"DISCARD"};
  const resp::Request block[] = {kMulti, c.req, kDiscard};
  auto sink = std::make_shared<ProbeSink>(c.client.shared(), c.st.txn.edit().probes(), shard);
  c.ctx.backends().side_conn(shard).submit_block(block, std::move(sink), c.client.reserve(),
                                                 ClientPort::kNoSlot);
}

}  // namespace preshard::proxy::ops
