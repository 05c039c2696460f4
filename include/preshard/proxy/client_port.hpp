#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "preshard/backend/reply_sink.hpp"
#include "preshard/core/errors.hpp"
#include "preshard/net/asio.hpp"

namespace preshard::proxy {

// What the proxy needs of the client connection it serves (client/ implements it). Replies are
// given by slot: a slot is reserved when a command is dispatched, and filled (in any order)
// through the ReplySink calls; the client writes them in slot order.
class ClientPort : public backend::ReplySink {
 public:
  // Tag of an instance reply the client does not see (MULTI and QUEUED replies inside an EXEC
  // block, UNWATCH of a pinned connection).
  static constexpr uint64_t kNoSlot = ~0ull;

  virtual uint64_t reserve() = 0;
  // Reserves a slot and fills it at once.
  virtual void reply_now(std::string_view raw) = 0;
  virtual void error_now(const core::errors::Error& error) = 0;
  virtual void count_error(core::errors::Kind kind) = 0;
  // Answer what is queued, then close (QUIT; lost subscriptions).
  virtual void close_after_replies() = 0;
  // A blocking command holds slot `slot`: later commands wait (read, but not dispatched) until
  // it is answered; a client that leaves meanwhile is closed at once.
  virtual void block(uint64_t slot) = 0;
  // Every earlier command of this client is answered (its reply is in the output).
  virtual bool all_answered() const = 0;
  // The command being dispatched needs a connection of its own (WATCH, a blocking command),
  // where it would overtake the client's earlier commands still queued on the shared one: it is
  // dispatched again once all_answered(); later commands wait behind it, in order.
  virtual void dispatch_when_answered() = 0;
  // Shutdown: read no more commands, answer those in flight, then close.
  virtual void drain() = 0;
  // Closes now; replies still to come are dropped.
  virtual void close() = 0;
  // Pub/sub: a message for one of this client's topics, exactly as the instance sent it.
  virtual void push_message(std::string_view raw) = 0;
  virtual std::shared_ptr<ClientPort> shared() = 0;
  // The worker's users changed (a reload): take the new one of the same name, or close if it
  // is gone or off.
  virtual void rebind_user() {}

  virtual uint64_t id() const = 0;
  virtual const std::string& peer() const = 0;
  virtual const std::string& local() const = 0;
  // Redis's CLIENT INFO / CLIENT LIST line for this client (id=... resp=N, no newline).
  virtual std::string describe() = 0;
  virtual net::Clock::time_point created() const = 0;
};

}  // namespace preshard::proxy
