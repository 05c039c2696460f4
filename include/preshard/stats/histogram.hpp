#pragma once
#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace preshard::stats {

// Latencies in microseconds, in log-linear buckets: 1 µs wide below 4 µs, then four per power of
// two (each within 25% of its value) up to 2^34 µs; larger values land in the last bucket.
struct Buckets {
  static constexpr size_t kCount = 136;
  static size_t of(uint64_t us) {
    if (us < 4) return static_cast<size_t>(us);
    unsigned octave = static_cast<unsigned>(std::bit_width(us)) - 1;  // >= 2
    size_t b = (octave - 1) * 4 + ((us >> (octave - 2)) & 3);
    return b < kCount ? b : kCount - 1;
  }
  // The smallest value above bucket b (its values are < upper(b)).
  static uint64_t upper(size_t b) {
    if (b < 4) return b + 1;
    unsigned octave = static_cast<unsigned>(b / 4) + 1;
    return (5 + b % 4) << (octave - 2);
  }
};

// A histogram read from the recording one: plain values, merged across workers.
struct Histogram {
  std::array<uint64_t, Buckets::kCount> counts{};
  uint64_t count = 0;
  uint64_t sum_us = 0;

  void merge(const Histogram& other);
  // Values below `us` (exact when `us` is a bucket's upper bound, as every exported one is).
  uint64_t count_below(uint64_t us) const;
  // The value below which a fraction `p` (0..1) of the values are, within its bucket's 25%
  // (values spread evenly over the bucket's width); 0 when empty.
  double percentile_us(double p) const;
};

// Written by one thread only (relaxed loads and stores: no atomic read-modify-write), read by
// any. Its 1.1 KB of buckets are allocated at the first record(): a worker keeps one per command
// table row and one per shard, and most are never used (an idle proxy would otherwise hold
// ~560 KB of zeros per worker).
class RecordingHistogram {
 public:
  RecordingHistogram() = default;
  RecordingHistogram(const RecordingHistogram&) = delete;
  RecordingHistogram& operator=(const RecordingHistogram&) = delete;
  ~RecordingHistogram() { delete cells_.load(std::memory_order_relaxed); }

  void record(uint64_t us) {
    Cells* c = cells_.load(std::memory_order_relaxed);  // only this thread stores it
    if (c == nullptr) c = first_cells();
    bump(c->counts[Buckets::of(us)]);
    bump(c->sum_us, us);
  }
  void add_to(Histogram& h) const;
  void reset();  // by its writer (CONFIG RESETSTAT)

 private:
  struct Cells {
    std::array<std::atomic<uint64_t>, Buckets::kCount> counts{};
    std::atomic<uint64_t> sum_us{0};
  };
  static void bump(std::atomic<uint64_t>& c, uint64_t n = 1) {
    c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  Cells* first_cells();  // allocates and publishes them (release: readers see them zeroed)
  std::atomic<Cells*> cells_{nullptr};
};

// The bounds exported as Prometheus buckets: 10 µs doubling up to about 10.5 s (each one a
// bucket bound, so the cumulative counts are exact).
inline constexpr std::array<uint64_t, 21> kExportBoundsUs = {
    10,    20,    40,    80,     160,    320,    640,     1280,    2560,    5120,    10240,
    20480, 40960, 81920, 163840, 327680, 655360, 1310720, 2621440, 5242880, 10485760};

}  // namespace preshard::stats
