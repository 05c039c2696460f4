#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "preshard/core/slowlog.hpp"

namespace preshard::core {

// What a slot says about the command it answers, for the per-command statistics.
struct SlotTag {
  static constexpr uint16_t kNone = 0xffff;
  uint16_t row = kNone;   // the command table row; kNone: not counted
  bool rejected = false;  // refused before it ran
  int64_t start = 0;      // when it arrived (clock ticks)
};

// Replies to one client, kept in request order. A slot is reserved when a command is parsed and
// filled when its reply is ready, in any order; the filled prefix is flushed to the output.
class ReplyQueue {
 public:
  // Reserves the next slot; returns its sequence number.
  uint64_t reserve();
  // The reply of slot `seq` is dropped when it comes, never written (CLIENT REPLY OFF, SKIP).
  void silence(uint64_t seq) { slot(seq).silent = true; }
  bool silent(uint64_t seq) const { return ring_[seq & (ring_.size() - 1)].silent; }
  // Tags a reserved slot (complete() gives the tag back).
  void tag(uint64_t seq, const SlotTag& t) { slot(seq).tag = t; }
  // What SLOWLOG keeps of the slot's command (filled only while slowlog is on). Valid from
  // reserve() until the slot is reserved again, so also right after complete().
  SlowNote& note(uint64_t seq) { return slot(seq).note; }
  // Fills slot `seq` with `reply` and appends every reply now in order to `out`. A reply for
  // the oldest slot goes straight to `out`, without a copy. Returns the slot's tag.
  SlotTag complete(uint64_t seq, std::string_view reply, std::string& out);
  // Slot `seq` was reserved and is not filled yet.
  bool waiting(uint64_t seq) const {
    return seq >= head_ && seq < next_ && !ring_[seq & (ring_.size() - 1)].ready;
  }
  // Every slot before `seq` is flushed: its reply may go straight to the output.
  bool is_next(uint64_t seq) const { return seq == head_ && seq < next_; }
  // Slots reserved and not yet flushed.
  size_t pending() const { return static_cast<size_t>(next_ - head_); }
  // Bytes held in filled slots that wait for an earlier reply.
  size_t held_bytes() const { return held_bytes_; }

 private:
  struct Slot {
    std::string data;
    bool ready = false;
    bool silent = false;
    SlotTag tag;
    SlowNote note;
  };
  Slot& slot(uint64_t seq) { return ring_[seq & (ring_.size() - 1)]; }
  void grow();

  // A power of two; 1 to start (a slot is ~200 bytes and most clients wait for each reply),
  // doubled as a pipeline needs.
  std::vector<Slot> ring_ = std::vector<Slot>(1);
  uint64_t head_ = 0;  // oldest unflushed slot
  uint64_t next_ = 0;  // next slot to reserve
  size_t held_bytes_ = 0;
};

}  // namespace preshard::core
