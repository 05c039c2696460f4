#pragma once

namespace preshard::net {

// An object with buffered output that the worker writes once per event-loop turn, so that all
// the commands (or replies) produced in one turn leave in one write.
class Flushable {
 public:
  virtual ~Flushable() = default;
  virtual void flush() = 0;
  // A client connection (its writes go to clients, not to instances).
  virtual bool is_client() const { return false; }
  // Already queued for this turn: callers skip building a new reference to queue it again.
  bool flush_queued() const { return flush_queued_; }

 private:
  friend class Worker;
  bool flush_queued_ = false;
};

}  // namespace preshard::net
