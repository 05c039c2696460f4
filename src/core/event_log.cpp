#include "preshard/core/event_log.hpp"

#include <algorithm>

namespace preshard::core {

void EventLog::add_event(int64_t unix_ms, std::string kind, std::string text) {
  events_.push_back({unix_ms, std::move(kind), std::move(text)});
  if (events_.size() > kMaxEvents) events_.pop_front();
}

void EventLog::add_latency(int64_t unix_seconds, const std::string& name, uint64_t ms) {
  auto it =
      std::find_if(series_.begin(), series_.end(), [&](const Series& s) { return s.name == name; });
  if (it == series_.end()) {
    series_.push_back({name, {}, 0});
    it = series_.end() - 1;
  }
  it->max_ms = std::max(it->max_ms, ms);
  if (!it->samples.empty() && it->samples.back().unix_seconds == unix_seconds) {
    it->samples.back().ms = std::max(it->samples.back().ms, ms);
    return;
  }
  it->samples.push_back({unix_seconds, ms});
  if (it->samples.size() > kMaxSamples) it->samples.pop_front();
}

const EventLog::Series* EventLog::find(const std::string& name) const {
  for (const Series& s : series_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

size_t EventLog::reset(const std::vector<std::string>& names) {
  if (names.empty()) {
    size_t n = series_.size();
    series_.clear();
    return n;
  }
  size_t n = 0;
  for (const std::string& name : names) {
    auto it = std::find_if(series_.begin(), series_.end(),
                           [&](const Series& s) { return s.name == name; });
    if (it == series_.end()) continue;
    series_.erase(it);
    ++n;
  }
  return n;
}

}  // namespace preshard::core
