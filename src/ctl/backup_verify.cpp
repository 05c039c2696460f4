// preshardctl backup verify: the archive checked without restoring anything.
#include <map>

#include "preshard/ctl/archive.hpp"
#include "preshard/ctl/backup.hpp"
#include "preshard/ctl/instance_ops.hpp"
#include "preshard/ctl/rdb_digest.hpp"

namespace preshard::ctl {

namespace {

struct Seen {
  uint64_t bytes = 0;
  std::string sha256, header, problem;
};

constexpr int64_t kMaxManifest = 64 << 20;

}  // namespace

ArchiveCheck check_archive(const std::string& path) {
  ArchiveCheck out;
  std::map<std::string, Seen> seen;
  std::string manifest_text;
  bool have_manifest = false;
  try {
    ArchiveReader r(path);
    std::string entry;
    int64_t size = 0;
    std::vector<char> buf(1 << 16);
    while (r.next(entry, size)) {
      if (seen.count(entry) || (entry == "manifest.json" && have_manifest)) {
        out.problems.push_back(entry + ": twice in the archive");
      }
      if (entry == "manifest.json") {
        if (size > kMaxManifest) throw Failure("manifest.json: over 64 MB");
        for (size_t n; (n = r.read(buf.data(), buf.size())) > 0;)
          manifest_text.append(buf.data(), n);
        have_manifest = true;
        continue;
      }
      RdbDigest d;
      for (size_t n; (n = r.read(buf.data(), buf.size())) > 0;) d.update(buf.data(), n);
      seen[entry] = {d.bytes(), d.sha256(), d.header(), d.problem()};
    }
  } catch (const Failure& f) {
    out.problems.push_back(f.what());
    return out;
  }
  if (!have_manifest) {
    out.problems.push_back("no manifest.json in the archive");
    return out;
  }
  try {
    out.manifest = parse_manifest(manifest_text);
  } catch (const Failure& f) {
    out.problems.push_back(f.what());
    return out;
  }
  for (const auto& s : out.manifest->shards) {
    auto it = seen.find(s.file);
    std::string name = "shard " + std::to_string(s.shard) + " (" + s.file + ")";
    if (it == seen.end()) {
      out.problems.push_back(name + ": missing from the archive");
      continue;
    }
    const Seen& got = it->second;
    if (got.bytes != s.bytes) {
      out.problems.push_back(name + ": " + std::to_string(got.bytes) +
                             " bytes, the manifest says " + std::to_string(s.bytes));
    } else if (got.sha256 != s.sha256) {
      out.problems.push_back(name + ": SHA-256 mismatch (archive " + got.sha256 + ", manifest " +
                             s.sha256 + ")");
    }
    if (!got.problem.empty()) out.problems.push_back(name + ": " + got.problem);
    if (got.header != s.rdb_header) out.problems.push_back(name + ": RDB header differs");
    seen.erase(it);
  }
  for (const auto& [entry, unused] : seen) {
    out.problems.push_back(entry + ": not in the manifest");
  }
  return out;
}

int verify_backup(const std::string& archive, std::ostream& out, std::ostream& err) {
  ArchiveCheck c = check_archive(archive);
  if (!c.problems.empty()) {
    for (const auto& p : c.problems) err << archive << ": " << p << "\n";
    err << "preshardctl: " << archive << ": " << c.problems.size() << " problem(s)\n";
    return 1;
  }
  long long keys = 0;
  for (const auto& s : c.manifest->shards) keys += s.keys;
  out << archive << ": OK: " << c.manifest->shards.size() << " shards, " << keys
      << " keys, checksums and RDB CRC-64 verified; taken " << c.manifest->started << " to "
      << c.manifest->finished << " from " << c.manifest->config;
  if (c.manifest->consistent)
    out << "; consistent (writes paused " << c.manifest->pause_ms << " ms)";
  out << "\n";
  return 0;
}

}  // namespace preshard::ctl
