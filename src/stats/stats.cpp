#include "preshard/stats/stats.hpp"

namespace preshard::stats {

Snapshot sum(const std::vector<std::unique_ptr<ThreadStats>>& per_thread) {
  Snapshot s;
  for (const auto& t : per_thread) {
#define PRESHARD_ADD(name, help) s.name += t->name.load(std::memory_order_relaxed);
    PRESHARD_COUNTERS(PRESHARD_ADD)
    PRESHARD_GAUGES(PRESHARD_ADD)
#undef PRESHARD_ADD
    for (size_t k = 0; k < kErrorKindSlots; ++k) {
      s.errors_by_kind[k] += t->errors_by_kind[k].load(std::memory_order_relaxed);
    }
  }
  return s;
}

const std::vector<Descriptor>& descriptors() {
  static const std::vector<Descriptor> all = {
#define PRESHARD_COUNTER_DESC(name, help) {#name, help, false, &Snapshot::name},
#define PRESHARD_GAUGE_DESC(name, help) {#name, help, true, &Snapshot::name},
      PRESHARD_COUNTERS(PRESHARD_COUNTER_DESC) PRESHARD_GAUGES(PRESHARD_GAUGE_DESC)
#undef PRESHARD_COUNTER_DESC
#undef PRESHARD_GAUGE_DESC
  };
  return all;
}

}  // namespace preshard::stats
