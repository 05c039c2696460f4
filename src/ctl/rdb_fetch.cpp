#include "preshard/ctl/rdb_fetch.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "preshard/ctl/instance_ops.hpp"
#include "preshard/ctl/rdb_digest.hpp"
#include "preshard/ctl/socket_stream.hpp"
#include "preshard/resp/encode.hpp"

namespace preshard::ctl {

namespace {

std::string command(std::initializer_list<std::string_view> args) {
  std::string out;
  resp::append_array_header(out, args.size());
  for (auto a : args) resp::append_bulk(out, a);
  return out;
}

// Writes to the file and feeds the digest.
struct Sink {
  int fd;
  const std::string& where;
  RdbDigest digest;

  void put(const char* p, size_t n) {
    digest.update(p, n);
    while (n > 0) {
      ssize_t w = ::write(fd, p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) throw Failure(where + ": writing the snapshot: " + std::strerror(errno));
      p += w;
      n -= static_cast<size_t>(w);
    }
  }
};

constexpr size_t kMarkLen = 40;  // "$EOF:<40 bytes>": the payload ends with the same 40 bytes

// A diskless transfer: no length up front; everything up to the closing mark.
void copy_until_mark(SocketStream& s, const std::string& mark, Sink& sink) {
  std::vector<char> buf(1 << 16);
  std::string window;  // the last kMarkLen bytes, held back until more arrive
  for (;;) {
    size_t n = s.read_some(buf.data(), buf.size());
    window.append(buf.data(), n);
    if (window.size() > kMarkLen) {
      size_t out = window.size() - kMarkLen;
      sink.put(window.data(), out);
      window.erase(0, out);
    }
    if (window == mark) return;
  }
}

void copy_length(SocketStream& s, uint64_t len, Sink& sink) {
  std::vector<char> buf(1 << 16);
  while (len > 0) {
    size_t n = s.read_some(buf.data(), static_cast<size_t>(std::min<uint64_t>(len, buf.size())));
    sink.put(buf.data(), n);
    len -= n;
  }
}

}  // namespace

RdbFetch::RdbFetch(const config::Endpoint& ep, const std::string& password,
                   std::chrono::milliseconds idle_timeout)
    : where_(ep.to_string()), s_(std::make_unique<SocketStream>(ep, idle_timeout)) {
  if (!password.empty()) {
    s_->write_all(command({"AUTH", password}));
    std::string r = s_->read_line();
    if (r.empty() || r[0] != '+') throw Failure(where_ + ": AUTH: " + r.substr(r.empty() ? 0 : 1));
  }
  // rdb-only (Redis 7.0+): the snapshot and no command stream after it; an older instance
  // refuses it, and the stream after the snapshot is then simply not read. capa eof: a
  // diskless transfer where the instance is configured for it (Redis 7's default).
  s_->write_all(command({"REPLCONF", "rdb-only", "1"}) + command({"REPLCONF", "capa", "eof"}));
  s_->read_line();
  s_->read_line();
}

RdbFetch::~RdbFetch() = default;

void RdbFetch::start() {
  s_->write_all(command({"PSYNC", "?", "-1"}));
  std::string line;
  do {
    line = s_->read_line();  // empty lines: keepalives
  } while (line.empty());
  if (line[0] == '-') throw Failure(where_ + ": PSYNC: " + line.substr(1));
  // +FULLRESYNC <replid> <offset>
  char id[64] = {};
  long long off = -1;
  if (std::sscanf(line.c_str(), "+FULLRESYNC %63s %lld", id, &off) != 2) {
    throw Failure(where_ + ": unexpected reply to PSYNC: " + line.substr(0, 80));
  }
  replid_ = id;
  offset_ = off;
}

RdbCopy RdbFetch::receive(int out_fd) {
  std::string line;
  do {
    line = s_->read_line();  // keepalives while the instance prepares the snapshot
  } while (line.empty());
  if (line[0] == '-') throw Failure(where_ + ": " + line.substr(1));
  if (line[0] != '$') throw Failure(where_ + ": unexpected snapshot header: " + line.substr(0, 80));
  Sink sink{out_fd, where_, {}};
  if (line.rfind("$EOF:", 0) == 0) {
    std::string mark = line.substr(5);
    if (mark.size() != kMarkLen) throw Failure(where_ + ": a bad end mark in the snapshot header");
    copy_until_mark(*s_, mark, sink);
  } else {
    char* end = nullptr;
    unsigned long long len = std::strtoull(line.c_str() + 1, &end, 10);
    if (*end) throw Failure(where_ + ": a bad snapshot length '" + line + "'");
    copy_length(*s_, len, sink);
  }
  if (::fsync(out_fd) != 0) {
    throw Failure(where_ + ": writing the snapshot: " + std::strerror(errno));
  }
  RdbCopy copy;
  copy.bytes = sink.digest.bytes();
  copy.header = sink.digest.header();
  copy.problem = sink.digest.problem();
  copy.sha256 = sink.digest.sha256();
  return copy;
}

}  // namespace preshard::ctl
