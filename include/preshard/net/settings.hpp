#pragma once
#include "preshard/config/config.hpp"
#include "preshard/resp/request_reader.hpp"

namespace preshard::net {

// Where read-only commands go (read_from).
enum class ReadFrom : uint8_t { kMaster, kReplica, kPreferReplica };

// What workers read on every request: the settings table's values (config/settings.hpp) and
// what is derived from them. Immutable once built; a reload publishes a new one.
struct Settings : config::Settings {
  resp::ReaderLimits reader;
  ReadFrom reads = ReadFrom::kMaster;
  bool track_latency = true;  // latency_tracking: yes

  static Settings from(const config::Config& c) {
    Settings s;
    static_cast<config::Settings&>(s) = c;
    s.reader.max_bulk_len = c.max_bulk_len;
    s.reader.max_request_bytes = c.max_request_bytes;
    s.reads = c.read_from == "replica"          ? ReadFrom::kReplica
              : c.read_from == "prefer_replica" ? ReadFrom::kPreferReplica
                                                : ReadFrom::kMaster;
    s.track_latency = c.latency_tracking == "yes";
    return s;
  }
};

}  // namespace preshard::net
