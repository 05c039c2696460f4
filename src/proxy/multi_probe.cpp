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

}  // namespace

void probe_queued(Call& c, size_t shard) {
  static const resp::Request kMulti{"MULTI"};
  static const resp::Request kDiscard{"DISCARD"};
  const resp::Request block[] = {kMulti, c.req, kDiscard};
  auto sink = std::make_shared<ProbeSink>(c.client.shared(), c.st.txn.probes(), shard);
  c.ctx.backends().side_conn(shard).submit_block(block, std::move(sink), c.client.reserve(),
                                                 ClientPort::kNoSlot);
}

}  // namespace preshard::proxy::ops
