#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "preshard/stats/stats.hpp"

namespace preshard::io {

// What every worker may read about the whole process (for INFO and limits).
struct ServerState {
  std::string config_file;
  std::string hash;
  std::string hash_tag;
  unsigned threads = 1;
  unsigned listen_port = 0;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::atomic<uint64_t> config_generation{1};
  std::atomic<uint64_t> ops_per_sec{0};
  std::atomic<unsigned> clients{0};  // open client connections, all workers
  std::atomic<uint64_t> next_client_id{0};
  std::vector<std::unique_ptr<stats::ThreadStats>> thread_stats;  // one per worker
};

}  // namespace preshard::io
