// One shard of a backup: its snapshot fetched to a file, checked, counted and described.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <regex>

#include "backup_impl.hpp"
#include "preshard/ctl/instance_ops.hpp"
#include "preshard/ctl/instance_process.hpp"
#include "preshard/ctl/rdb_fetch.hpp"

namespace preshard::ctl::backup_steps {

RdbCounts count_keys(const std::string& check_rdb, const std::filesystem::path& rdb) {
  std::string out;
  int rc = run_capture({check_rdb, rdb.string()}, out);
  // "[info] 12 keys read", "[info] 3 expires", then "\o/ RDB looks OK! \o/".
  std::smatch keys, expires;
  bool ok = rc == 0 && out.find("RDB looks OK") != std::string::npos &&
            std::regex_search(out, keys, std::regex(R"(\[info\] (\d+) keys read)")) &&
            std::regex_search(out, expires, std::regex(R"(\[info\] (\d+) expires)"));
  if (!ok) {
    size_t at = out.find("--- RDB ERROR DETECTED ---");
    std::string said = out.substr(at == std::string::npos ? 0 : at, 300);
    for (char& ch : said) {
      if (ch == '\n') ch = ' ';
    }
    throw Failure(check_rdb + " refused the snapshot: " + said);
  }
  return {std::stoll(keys[1]), std::stoll(expires[1])};
}

ShardBackup::ShardBackup(const config::Config& c, const BackupOptions& o, size_t shard) : o_(o) {
  const config::Endpoint& ep = c.instances[shard];
  std::string pass = c.redis.password();
  e_.shard = shard;
  e_.file = shard_file_name(shard);
  e_.address = ep.to_string();
  e_.started = utc_now();
  RedisClient client(ep, std::chrono::milliseconds(5000), "", pass);
  e_.redis_version = field(info_or_fail(client, "server"), "redis_version");
  fetch_ = std::make_unique<RdbFetch>(ep, pass, o.idle_timeout);
}

ShardBackup::~ShardBackup() = default;

void ShardBackup::begin() {
  fetch_->start();
  e_.replid = fetch_->replid();
  e_.repl_offset = fetch_->offset();
}

ShardEntry ShardBackup::finish(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw Failure(path.string() + ": " + std::strerror(errno));
  RdbCopy copy;
  try {
    copy = fetch_->receive(fd);
  } catch (...) {
    ::close(fd);
    throw;
  }
  fetch_.reset();
  if (::close(fd) != 0) throw Failure(path.string() + ": " + std::strerror(errno));
  if (!copy.problem.empty()) throw Failure(e_.address + ": the snapshot is " + copy.problem);
  e_.bytes = copy.bytes;
  e_.sha256 = copy.sha256;
  e_.rdb_header = copy.header;
  RdbCounts n = count_keys(o_.check_rdb, path);
  e_.keys = n.keys;
  e_.expires = n.expires;
  e_.finished = utc_now();
  return e_;
}

}  // namespace preshard::ctl::backup_steps
