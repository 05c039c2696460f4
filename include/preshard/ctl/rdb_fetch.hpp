#pragma once
// An instance's snapshot fetched the way a replica gets it (what redis-cli --rdb does, with
// PSYNC so that the instance says when its snapshot begins), streamed to a file as it arrives.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "preshard/config/endpoint.hpp"

namespace preshard::ctl {

class SocketStream;

struct RdbCopy {
  uint64_t bytes = 0;
  std::string sha256;   // of the payload, hex
  std::string header;   // its first 9 bytes: "REDIS0010"
  std::string problem;  // RdbDigest::problem(): "" for a sound RDB
};

// Three steps, so that a consistent backup can prepare every shard before it pauses writes and
// hold the pause only from start() to the last start() returning. Each throws Failure naming
// the instance; `idle_timeout` bounds every wait for bytes (the instance sends a newline each
// second while it prepares the snapshot).
class RdbFetch {
 public:
  // Connects, AUTHs, and declares REPLCONF rdb-only 1 (no command stream after the snapshot)
  // and capa eof (diskless transfers).
  RdbFetch(const config::Endpoint& ep, const std::string& password,
           std::chrono::milliseconds idle_timeout);
  ~RdbFetch();
  // PSYNC ? -1; returns at +FULLRESYNC, which the instance sends as it forks its snapshot.
  void start();
  const std::string& replid() const { return replid_; }
  long long offset() const { return offset_; }  // the snapshot's replication offset
  // The payload, written to `out_fd` and fsynced.
  RdbCopy receive(int out_fd);

 private:
  std::string where_;
  std::unique_ptr<SocketStream> s_;
  std::string replid_;
  long long offset_ = -1;
};

}  // namespace preshard::ctl
