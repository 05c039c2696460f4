#pragma once
// preshardctl backup: every shard's snapshot, fetched over the network (PSYNC, rdb-only), into one
// tar.gz with a manifest (README, "Backup and restore").
#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "preshard/config/endpoint.hpp"
#include "preshard/ctl/manifest.hpp"

namespace preshard::ctl {

struct BackupOptions {
  std::string config_path;
  std::string output;
  bool force = false;    // replace an existing output file
  size_t parallel = 16;  // shards fetched at once (a consistent backup starts all at once)
  bool consistent = false;
  std::vector<config::Endpoint> proxies;  // paused for --consistent; empty: the config's listen
  std::chrono::milliseconds idle_timeout{60'000};  // per wait for bytes from an instance
  unsigned pause_timeout_ms = 30'000;              // the proxies resume by themselves after this
  std::string check_rdb = "redis-check-rdb";       // counts the keys of each snapshot
};

int backup(const BackupOptions& o, std::ostream& out, std::ostream& err);

// Reads the whole archive once: the manifest, and every problem found (an entry missing, extra,
// of another size or SHA-256, an RDB with a bad header or CRC-64, a damaged or truncated
// archive). `manifest` is unset when it could not be read.
struct ArchiveCheck {
  std::optional<Manifest> manifest;
  std::vector<std::string> problems;
};
ArchiveCheck check_archive(const std::string& path);
// Exit 0 when the archive is sound: manifest, every entry's size and SHA-256, every RDB's header
// and CRC-64; 1 with every problem listed otherwise.
int verify_backup(const std::string& archive, std::ostream& out, std::ostream& err);

}  // namespace preshard::ctl
