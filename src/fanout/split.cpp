#include "preshard/fanout/split.hpp"

#include <unordered_map>

namespace preshard::fanout {

SplitPlan split(const resp::Request& req, size_t first, size_t step,
                const std::vector<size_t>& key_shards) {
  SplitPlan plan;
  std::unordered_map<size_t, size_t> part_of_shard;  // shard -> index in plan.parts
  for (size_t i = first; i + step <= req.size() && plan.key_count < key_shards.size(); i += step) {
    size_t shard = key_shards[plan.key_count];
    auto [it, fresh] = part_of_shard.emplace(shard, plan.parts.size());
    if (fresh) {
      Part p;
      p.shard = shard;
      p.request.add(req[0]);
      plan.parts.push_back(std::move(p));
    }
    Part& part = plan.parts[it->second];
    for (size_t k = 0; k < step; ++k) part.request.add(req[i + k]);
    part.key_index.push_back(static_cast<uint32_t>(plan.key_count++));
  }
  return plan;
}

SplitPlan broadcast(const resp::Request& req, size_t shards) {
  SplitPlan plan;
  plan.parts.resize(shards);
  for (size_t s = 0; s < shards; ++s) {
    plan.parts[s].shard = s;
    for (size_t i = 0; i < req.size(); ++i) plan.parts[s].request.add(req[i]);
  }
  return plan;
}

}  // namespace preshard::fanout
