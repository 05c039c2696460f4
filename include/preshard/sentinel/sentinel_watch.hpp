#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "preshard/config/config.hpp"
#include "preshard/sentinel/sentinel_link.hpp"

namespace preshard::sentinel {

// Follows Redis Sentinel for every shard's master, on the control thread: each Sentinel gets
// a connection subscribed to +switch-master (a switch is reported at once) and one for
// questions, on which SENTINEL MASTER <name> is asked for every shard at start, whenever a
// subscription is (re)made, and every sentinel_poll_ms. Answers are ranked by Sentinel's
// config epoch, so a Sentinel that has not heard of a failover yet never undoes it. The watch
// only reports; the server decides what to do with a master (README, "Failover").
class SentinelWatch {
 public:
  // shard, its master, how it was learned ("sentinel-start", "switch-master", "sentinel-poll")
  using OnMaster =
      std::function<void(size_t shard, const config::Endpoint& master, const std::string& how)>;

  SentinelWatch(asio::io_context& io, std::shared_ptr<net::NameCache> names,
                const config::Config& c, OnMaster on_master);
  void start();
  void stop();
  // Every Sentinel has answered (or failed) the first round of questions.
  bool first_round_done() const { return rounds_left_ == 0; }
  // Shards some Sentinel named a master for.
  size_t shards_known() const;
  size_t sentinels() const { return sentinels_.size(); }
  size_t sentinels_up() const;

 private:
  struct Peer {
    config::Endpoint address;
    std::shared_ptr<SentinelLink> ask, events;
    bool first_round = true;
    size_t asking = 0;  // questions of the current round still unanswered
  };
  struct Known {
    bool set = false;
    config::Endpoint master;
    uint64_t epoch = 0;
  };
  std::shared_ptr<SentinelLink> link(size_t peer, bool events);
  void ask_all(size_t peer, const char* how);
  void subscribe(size_t peer);
  void on_answer(size_t shard, std::string_view raw, const std::string& sentinel, const char* how);
  void on_event(std::string_view raw);
  void poll();

  asio::io_context& io_;
  std::shared_ptr<net::NameCache> names_;
  std::string pattern_, password_;
  size_t shards_;
  std::chrono::milliseconds timeout_, poll_every_;
  OnMaster on_master_;
  std::vector<Peer> sentinels_;
  std::vector<Known> known_;
  std::vector<std::string> complaint_;  // per shard: the last problem logged (logged once)
  size_t rounds_left_;
  asio::steady_timer timer_;
  bool stopped_ = false;
};

}  // namespace preshard::sentinel
