#include "preshard/ctl/socket_stream.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "preshard/ctl/instance_ops.hpp"

namespace preshard::ctl {

namespace {

// Waits for `events` on fd; false on timeout.
bool wait_for(int fd, short events, std::chrono::milliseconds timeout) {
  pollfd p{fd, events, 0};
  int rc;
  do {
    rc = poll(&p, 1, static_cast<int>(timeout.count()));
  } while (rc < 0 && errno == EINTR);
  return rc > 0;
}

}  // namespace

SocketStream::SocketStream(const config::Endpoint& ep, std::chrono::milliseconds timeout)
    : where_(ep.to_string()), timeout_(timeout) {
  std::string host = ep.host;
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int gai = getaddrinfo(host.c_str(), std::to_string(ep.port).c_str(), &hints, &res);
  if (gai != 0) throw Failure(where_ + ": " + gai_strerror(gai));
  std::string why = "no address";
  for (addrinfo* a = res; a && fd_ < 0; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      int err = ETIMEDOUT;
      socklen_t len = sizeof err;
      if (wait_for(fd, POLLOUT, timeout)) getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      rc = err == 0 ? 0 : -1;
      errno = err;
    }
    if (rc == 0) {
      fd_ = fd;
    } else {
      why = std::strerror(errno);
      ::close(fd);
    }
  }
  freeaddrinfo(res);
  if (fd_ < 0) throw Failure(where_ + ": connect: " + why);
}

SocketStream::~SocketStream() {
  if (fd_ >= 0) ::close(fd_);
}

void SocketStream::write_all(const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!wait_for(fd_, POLLOUT, timeout_)) throw Failure(where_ + ": write timed out");
    } else {
      throw Failure(where_ + ": write: " + std::strerror(errno));
    }
  }
}

size_t SocketStream::fill() {
  if (begin_ < end_) return end_ - begin_;
  begin_ = end_ = 0;
  for (;;) {
    ssize_t n = ::recv(fd_, buf_, sizeof buf_, 0);
    if (n > 0) {
      end_ = static_cast<size_t>(n);
      return end_;
    }
    if (n == 0) throw Failure(where_ + ": the connection was closed");
    if (errno != EAGAIN && errno != EINTR)
      throw Failure(where_ + ": read: " + std::strerror(errno));
    if (!wait_for(fd_, POLLIN, timeout_)) {
      throw Failure(where_ + ": nothing received for " + std::to_string(timeout_.count()) + " ms");
    }
  }
}

size_t SocketStream::read_some(char* buf, size_t n) {
  size_t have = std::min(fill(), n);
  std::memcpy(buf, buf_ + begin_, have);
  begin_ += have;
  return have;
}

void SocketStream::read_exact(char* buf, size_t n) {
  for (size_t done = 0; done < n;) done += read_some(buf + done, n - done);
}

std::string SocketStream::read_line() {
  std::string line;
  for (;;) {
    fill();
    const char* nl = static_cast<const char*>(std::memchr(buf_ + begin_, '\n', end_ - begin_));
    size_t take = nl ? static_cast<size_t>(nl - (buf_ + begin_)) + 1 : end_ - begin_;
    line.append(buf_ + begin_, take);
    begin_ += take;
    if (nl) break;
    if (line.size() > 65536) throw Failure(where_ + ": a reply line over 64 KB");
  }
  line.pop_back();
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace preshard::ctl
