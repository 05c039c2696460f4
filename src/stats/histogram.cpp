#include "preshard/stats/histogram.hpp"

#include <cmath>

namespace preshard::stats {

void Histogram::merge(const Histogram& other) {
  for (size_t b = 0; b < Buckets::kCount; ++b) counts[b] += other.counts[b];
  count += other.count;
  sum_us += other.sum_us;
}

uint64_t Histogram::count_below(uint64_t us) const {
  uint64_t n = 0;
  for (size_t b = 0; b < Buckets::kCount && Buckets::upper(b) <= us; ++b) n += counts[b];
  return n;
}

double Histogram::percentile_us(double p) const {
  if (count == 0) return 0;
  // The rank of the value wanted, 1-based: the smallest one with at least p of the values at or
  // below it.
  auto rank = static_cast<uint64_t>(std::ceil(p * static_cast<double>(count)));
  if (rank == 0) rank = 1;
  uint64_t seen = 0;
  for (size_t b = 0; b < Buckets::kCount; ++b) {
    if (seen + counts[b] >= rank) {
      // Spread the bucket's values evenly over its width (each one at the middle of its share).
      double lower = b == 0 ? 0.0 : static_cast<double>(Buckets::upper(b - 1));
      double width = static_cast<double>(Buckets::upper(b)) - lower;
      double share = (static_cast<double>(rank - seen) - 0.5) / static_cast<double>(counts[b]);
      return lower + width * share;
    }
    seen += counts[b];
  }
  return static_cast<double>(Buckets::upper(Buckets::kCount - 1));
}

RecordingHistogram::Cells* RecordingHistogram::first_cells() {
  auto* c = new Cells();
  cells_.store(c, std::memory_order_release);
  return c;
}

void RecordingHistogram::add_to(Histogram& h) const {
  const Cells* c = cells_.load(std::memory_order_acquire);
  if (c == nullptr) return;  // nothing recorded yet
  for (size_t b = 0; b < Buckets::kCount; ++b) {
    uint64_t n = c->counts[b].load(std::memory_order_relaxed);
    h.counts[b] += n;
    h.count += n;  // the total is the buckets' sum: one store less per record()
  }
  h.sum_us += c->sum_us.load(std::memory_order_relaxed);
}

void RecordingHistogram::reset() {
  Cells* c = cells_.load(std::memory_order_relaxed);
  if (c == nullptr) return;
  for (auto& n : c->counts) n.store(0, std::memory_order_relaxed);
  c->sum_us.store(0, std::memory_order_relaxed);
}

}  // namespace preshard::stats
