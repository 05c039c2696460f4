#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "preshard/net/asio.hpp"

namespace preshard::net {

// Resolves instance host names off the event loops and keeps the answers, shared by every
// worker. One lookup per name runs at a time, on a thread of its own, so a name that resolves
// slowly (or never) delays only the connections to it, never another name's; a lookup that
// outlives the connect attempt that asked for it still fills the cache for the next attempt. A
// cached answer is used until `ttl` has passed, then refreshed in the background while the old
// one keeps serving (a failed refresh keeps it). A failure is not cached: the next connect
// attempt, after its backoff, looks up again. (Asio's resolver runs the lookups of an
// io_context on one thread, in turn: one slow name stalled every other, and a lookup slower
// than connect_timeout_ms never succeeded, each attempt queueing behind the last.)
class NameCache {
 public:
  struct Result {
    std::vector<asio::ip::address> addresses;  // empty on failure
    std::string error;
  };
  using Callback = std::function<void(const Result&)>;

  NameCache();
  ~NameCache() { close(); }
  // Answers still to come are dropped from now on: call it before the io_contexts it posts to
  // go away (the server does, once its workers stopped).
  void close();
  NameCache(const NameCache&) = delete;
  NameCache& operator=(const NameCache&) = delete;

  // `done` runs on `io`, never inside this call: soon when the cache can answer, else once the
  // lookup ends (the caller applies its own timeout and ignores a late answer).
  void resolve(asio::io_context& io, const std::string& host, std::chrono::milliseconds ttl,
               Callback done);

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with lookup threads that may outlive the cache
};

}  // namespace preshard::net
