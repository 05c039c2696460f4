#pragma once
#include <memory>
#include <string>

#include "preshard/backend/conn_mode.hpp"
#include "preshard/backend/reply_sink.hpp"
#include "preshard/command/command_spec.hpp"
#include "preshard/fanout/merger.hpp"
#include "preshard/fanout/split.hpp"
#include "preshard/proxy/context.hpp"

namespace preshard::proxy {

// A command split into one sub-command per shard (MGET, MSET, DEL, ...). It is the reply sink
// of every part, and answers the client's slot once all parts are in.
class SplitRequest : public ReplySink, public std::enable_shared_from_this<SplitRequest> {
 public:
  // The parts go on connections of `mode` and the merged reply is written in its protocol;
  // `seed` picks among candidates for Merge::kRandom.
  SplitRequest(std::shared_ptr<ReplySink> client, uint64_t slot, command::Merge rule,
               fanout::SplitPlan plan, backend::ConnMode mode, uint64_t seed = 0);

  // Sends every part; the part for `pinned`'s shard (a client's WATCH connection) goes on it.
  // A part for a shard that is down fails at once, inside this call.
  // `reads`: read_from for a read-only command (parts go to replicas), else kMaster.
  // `side`: on the pool's side connections (SCRIPT KILL, FUNCTION KILL: past a busy script).
  void send(BackendPool& pool, PipelineConn* pinned, net::ReadFrom reads = net::ReadFrom::kMaster,
            bool side = false);

  void on_reply(uint64_t part, std::string_view raw) override;
  void on_failure(uint64_t part, const core::errors::Error& error) override;

 private:
  void finish_if_done();

  std::shared_ptr<ReplySink> client_;
  uint64_t slot_;
  fanout::SplitPlan plan_;  // before merger_, which refers to it
  fanout::Merger merger_;
  backend::ConnMode mode_;
};

}  // namespace preshard::proxy
