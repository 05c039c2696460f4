// preshardctl backup: the run (every shard's snapshot, in parallel or under one pause) and the
// archive (temporary file, fsync, rename: nothing half-written under the output name).
#include "preshard/ctl/backup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "backup_impl.hpp"
#include "preshard/ctl/archive.hpp"
#include "preshard/ctl/instance_ops.hpp"
#include "preshard/ctl/parallel.hpp"
#include "preshard/ctl/status_table.hpp"
#include "preshard/ctl/work_dir.hpp"

namespace preshard::ctl {

namespace fs = std::filesystem;
using namespace backup_steps;

namespace {

// Shards done, for the operator: a bar redrawn on a terminal, a line per shard otherwise.
class Progress {
 public:
  Progress(size_t total, std::ostream& out) : total_(total), out_(out), tty_(isatty(2)) {}
  void shard_done(const ShardEntry& e) {
    std::lock_guard lock(mu_);
    ++done_;
    bytes_ += e.bytes;
    double s = ms_since(t0_) / 1000;
    if (!tty_) {
      out_ << "shard " << e.shard << " " << e.address << ": " << human_bytes(e.bytes) << ", "
           << e.keys << " keys\n";
      return;
    }
    size_t width = 30, filled = width * done_ / total_;
    double eta = done_ ? s / static_cast<double>(done_) * static_cast<double>(total_ - done_) : 0;
    std::fprintf(stderr, "\r[%s%s] %zu/%zu shards, %s, ETA %.0f s  ",
                 std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), done_,
                 total_, human_bytes(bytes_).c_str(), eta);
    if (done_ == total_) std::fprintf(stderr, "\n");
  }

 private:
  std::mutex mu_;
  size_t total_, done_ = 0;
  uint64_t bytes_ = 0;
  std::ostream& out_;
  bool tty_;
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
};

void write_archive(const fs::path& tmp, const fs::path& output, const WorkDir& work,
                   const Manifest& m) {
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw Failure(tmp.string() + ": " + std::strerror(errno));
  try {
    ArchiveWriter w(fd, output.string());
    for (const auto& s : m.shards) {
      fs::path rdb = work.path() / s.file;
      w.add_file(s.file, rdb.string());
      fs::remove(rdb);  // keep the disk needed near one copy
    }
    w.add_text("manifest.json", manifest_json(m));
    w.close();
    if (::fsync(fd) != 0) throw Failure(output.string() + ": fsync: " + std::strerror(errno));
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0) throw Failure(output.string() + ": " + std::strerror(errno));
  std::error_code ec;
  fs::rename(tmp, output, ec);
  if (ec) throw Failure(output.string() + ": " + ec.message());
  int dir = ::open(output.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);  // the rename itself survives a crash
    ::close(dir);
  }
}

int run_backup(const BackupOptions& o, std::ostream& out, std::ostream& err) {
  auto loaded = config::load_config_file(o.config_path);
  if (!loaded.config) throw Failure(loaded.errors.front().to_string());
  const config::Config& c = *loaded.config;
  fs::path output = fs::absolute(o.output);
  if (!o.force && fs::exists(output)) throw Failure(o.output + " exists (--force replaces it)");
  WorkDir work(output.parent_path() /
               ("." + output.filename().string() + ".partial-" + std::to_string(getpid())));
  Manifest m;
  m.created_by = std::string("preshardctl ") + PRESHARD_VERSION;
  m.config = fs::absolute(o.config_path).string();
  m.started = utc_now();
  for (const auto& ep : c.instances) m.instances.push_back(ep.to_string());
  m.consistent = o.consistent;
  m.shards.resize(c.instances.size());
  std::vector<std::string> failures(c.instances.size());
  std::atomic<bool> abort{false};
  auto fail = [&](size_t i, const std::exception& e) {
    failures[i] = e.what();
    abort = true;
  };
  auto t0 = std::chrono::steady_clock::now();
  Progress progress(c.instances.size(), out);
  size_t n = c.instances.size();
  std::vector<std::unique_ptr<ShardBackup>> shards(n);
  auto finish = [&](size_t i) {
    m.shards[i] = shards[i]->finish(work.path() / shard_file_name(i));
    shards[i].reset();
    progress.shard_done(m.shards[i]);
  };
  if (!o.consistent) {
    parallel_for(n, o.parallel, [&](size_t i) {
      if (abort) return;
      try {
        shards[i] = std::make_unique<ShardBackup>(c, o, i);
        shards[i]->begin();
        finish(i);
      } catch (const std::exception& e) {
        fail(i, e);
      }
    });
  } else {
    // Every shard connected first; then the pause lasts from PAUSE until the last fork.
    parallel_for(n, n, [&](size_t i) {
      try {
        shards[i] = std::make_unique<ShardBackup>(c, o, i);
      } catch (const std::exception& e) {
        fail(i, e);
      }
    });
    ProxyPause pause(c, o);
    m.paused_proxies = pause.names();
    std::mutex mu;
    std::atomic<size_t> begun{0};
    auto end_pause = [&] {
      std::lock_guard lock(mu);
      pause.resume();
    };
    if (!abort) {
      pause.pause();
      parallel_for(n, n, [&](size_t i) {
        try {
          shards[i]->begin();
          if (++begun == n) end_pause();
          finish(i);
        } catch (const std::exception& e) {
          fail(i, e);
          end_pause();
        }
      });
      end_pause();
      m.pause_ms = pause.paused_ms();
    }
    if (!abort && m.pause_ms >= o.pause_timeout_ms) {
      throw Failure("the pause outlived its timeout (" + std::to_string(o.pause_timeout_ms) +
                    " ms): the proxies may have resumed before every snapshot began");
    }
  }
  std::string failed;
  for (size_t i = 0; i < failures.size(); ++i) {
    if (!failures[i].empty()) failed += "\n  shard " + std::to_string(i) + ": " + failures[i];
  }
  if (!failed.empty()) throw Failure("a shard failed, nothing was written:" + failed);
  m.finished = utc_now();
  write_archive(work.path() / "archive.tar.gz", output, work, m);
  uint64_t bytes = 0;
  long long keys = 0;
  for (const auto& s : m.shards) {
    bytes += s.bytes;
    keys += s.keys;
  }
  out << o.output << ": " << m.shards.size() << " shards, " << keys << " keys, "
      << human_bytes(bytes) << " of snapshots (" << human_bytes(fs::file_size(output))
      << " compressed) in " << static_cast<long long>(ms_since(t0)) << " ms";
  if (o.consistent) {
    out << "; writes paused " << m.pause_ms << " ms on " << m.paused_proxies.size() << " prox"
        << (m.paused_proxies.size() == 1 ? "y" : "ies");
  }
  out << "\n";
  (void)err;
  return 0;
}

}  // namespace

int backup(const BackupOptions& o, std::ostream& out, std::ostream& err) {
  try {
    return run_backup(o, out, err);
  } catch (const std::exception& e) {
    err << "preshardctl: backup: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace preshard::ctl
