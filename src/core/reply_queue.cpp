#include "preshard/core/reply_queue.hpp"

#include <cassert>

namespace preshard::core {

uint64_t ReplyQueue::reserve() {
  if (pending() == ring_.size()) grow();
  Slot& s = slot(next_);
  s.ready = false;
  s.silent = false;
  s.tag = SlotTag{};
  return next_++;
}

void ReplyQueue::grow() {
  std::vector<Slot> bigger(ring_.size() * 2);
  for (uint64_t seq = head_; seq < next_; ++seq) {
    bigger[seq & (bigger.size() - 1)] = std::move(slot(seq));
  }
  ring_.swap(bigger);
}

SlotTag ReplyQueue::complete(uint64_t seq, std::string_view reply, std::string& out) {
  assert(seq >= head_ && seq < next_);
  SlotTag tag = slot(seq).tag;
  if (slot(seq).silent) reply = {};
  if (seq != head_) {
    Slot& s = slot(seq);
    s.data.assign(reply);
    s.ready = true;
    held_bytes_ += reply.size();
    return tag;
  }
  out.append(reply);
  ++head_;
  while (head_ < next_ && slot(head_).ready) {
    Slot& s = slot(head_);
    out.append(s.data);
    held_bytes_ -= s.data.size();
    // Keep small buffers for reuse; give large ones back.
    if (s.data.capacity() > 4096) {
      std::string().swap(s.data);
    } else {
      s.data.clear();
    }
    s.ready = false;
    ++head_;
  }
  return tag;
}

}  // namespace preshard::core
