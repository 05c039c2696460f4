#pragma once
#include <deque>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "preshard/backend/pipeline_conn.hpp"
#include "preshard/backend/subscriber_conn.hpp"
#include "preshard/backend/target_health.hpp"
#include "preshard/net/asio.hpp"
#include "preshard/router/routing_table.hpp"

namespace preshard::backend {

// A worker's connections to the instances: one pipelined connection per shard, made on first
// use, shared by all the worker's clients; for blocking commands and WATCH, dedicated
// connections (at most blocking_connections_per_shard per shard), each serving one client at a
// time; and the health of each target, shared by every connection to it. Connections are per
// mode (protocol and database, docs/DESIGN.md "RESP3" and "Databases"): a RESP3 client's
// commands go on connections that said HELLO 3 in their handshake, a client of db 1 on ones
// that said SELECT 1, so replies are the instance's own and no connection ever changes db.
class BackendPool {
 public:
  BackendPool(net::Worker& worker, std::shared_ptr<const router::RoutingTable> table)
      : worker_(worker), table_(std::move(table)) {}

  const router::RoutingTable& table() const { return *table_; }
  std::shared_ptr<const router::RoutingTable> table_ptr() const { return table_; }
  PipelineConn& conn(size_t shard, ConnMode mode = {});
  // A dedicated connection for one client; null when the shard's limit is reached.
  std::shared_ptr<PipelineConn> acquire_dedicated(size_t shard, ConnMode mode = {});
  // Gives it back once its command is answered; a connection that failed is dropped.
  void release_dedicated(std::shared_ptr<PipelineConn> conn);
  // The client left while its command was blocked: close, so the instance stops waiting.
  void discard_dedicated(std::shared_ptr<PipelineConn> conn);
  // read_from: a connection to one of the shard's replicas for a read-only command (in turn,
  // skipping those in their backoff), or null when its master is to serve it: the shard lists
  // no replica, or none is up and `fallback` (prefer_replica) allows the master.
  PipelineConn* replica_conn(size_t shard, const ConnMode& mode, bool fallback);
  // A connection beside the shared ones, for SCRIPT KILL and FUNCTION KILL (an instance busy
  // with a script reads no more from the connection that sent it, so a kill queued there would
  // wait for the script) and INFO (not held by a pause, not behind a slow command). No SELECT,
  // HELLO or ROLE (refused while busy); not held by a pause.
  PipelineConn& side_conn(size_t shard);
  // A subscriber connection to the shard's primary, reporting to `sink`.
  std::shared_ptr<SubscriberConn> make_subscriber(size_t shard, std::weak_ptr<ReplySink> sink);

  // A reload published a new table: connections to targets that are no longer the shard's are
  // retired, their queued commands moving to the new target after the old connection's
  // commands are answered. Unchanged shards keep their connections.
  void retarget(std::shared_ptr<const router::RoutingTable> next);

  // PROXY PAUSE: commands for the shards queue until resume() or `until`; `drained` is called
  // once no command sent to them before the pause is unanswered.
  void pause(const std::vector<size_t>& shards, Clock::time_point until,
             std::function<void()> drained);
  void resume(const std::vector<size_t>& shards);
  bool paused(size_t shard) const {
    return shard < paused_until_.size() && paused_until_[shard] != Clock::time_point{};
  }

  void tick(Clock::time_point now);
  void close_all();

 private:
  struct Dedicated {
    std::vector<std::shared_ptr<PipelineConn>> idle;
    std::vector<std::shared_ptr<PipelineConn>> busy;
  };
  // The connections of one mode: the shared one per shard and the dedicated ones.
  struct Lane {
    std::vector<std::shared_ptr<PipelineConn>> conns;
    std::vector<Dedicated> dedicated;
    // read_from: one connection per replica target. One that is no longer a replica of its
    // shard (a reload, a failover) is not chosen again and closes once idle (tick).
    std::unordered_map<router::TargetId, std::shared_ptr<PipelineConn>> replicas;
  };
  // Made on first use. A deque: a sink called while the lanes are walked may make a new lane
  // (a client that switched mode sends its next command), which must not move the others.
  Lane& lane(const ConnMode& m) {
    size_t i = static_cast<size_t>(m.db) * 2 + (m.protocol == resp::Protocol::kResp3 ? 1 : 0);
    if (i >= lanes_.size()) lanes_.resize(i + 1);
    return lanes_[i];
  }
  Dedicated& dedicated(Lane& lane, size_t shard);
  Dedicated& dedicated_of(const PipelineConn& conn);
  void forget_busy(const std::shared_ptr<PipelineConn>& conn);
  std::shared_ptr<PipelineConn> make_conn(size_t shard, const ConnMode& mode);
  // A connection to `target` (a replica of the shard), with the mode's handshake.
  // The AUTH step of the target's credentials (none without them): every connection's first.
  // The name the target's certificate must carry when it is reached over TLS ("" = plain).
  std::string tls_name(router::TargetId target) const;
  std::vector<HandshakeStep> auth_steps(router::TargetId target) const;
  std::shared_ptr<PipelineConn> make_conn_to(size_t shard, router::TargetId target,
                                             const ConnMode& mode, bool replica);
  std::shared_ptr<TargetHealth> health(router::TargetId target);

  net::Worker& worker_;
  std::shared_ptr<const router::RoutingTable> table_;
  std::deque<Lane> lanes_;  // by db * 2 + (RESP3 ? 1 : 0)
  // Calls f on every lane, by index: lanes made meanwhile are visited too, none is skipped.
  template <typename F>
  void each_lane(F f) {
    for (size_t i = 0; i < lanes_.size(); ++i) f(lanes_[i]);
  }
  std::vector<std::shared_ptr<PipelineConn>> retiring_;  // finishing on an old target
  std::vector<Clock::time_point> paused_until_;          // per shard; {} = not paused
  std::unordered_map<router::TargetId, std::shared_ptr<TargetHealth>> health_;
  std::vector<std::shared_ptr<PipelineConn>> side_;         // per shard, made on first use
  std::vector<std::weak_ptr<SubscriberConn>> subscribers_;  // for their connect timeouts
  size_t next_replica_ = 0;                                 // read_from's turn
};

}  // namespace preshard::backend
