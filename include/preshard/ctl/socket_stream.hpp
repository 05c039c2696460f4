#pragma once
// A blocking TCP connection with a timeout on every wait, for the tools that
// stream bulk data (an RDB from SYNC) that hiredis would hold in memory whole.
#include <chrono>
#include <cstddef>
#include <string>

#include "preshard/config/endpoint.hpp"

namespace preshard::ctl {

class SocketStream {
 public:
  // Throws Failure ("HOST:PORT: connect: ...") when it cannot connect within `timeout`.
  SocketStream(const config::Endpoint& ep, std::chrono::milliseconds timeout);
  ~SocketStream();
  SocketStream(const SocketStream&) = delete;
  SocketStream& operator=(const SocketStream&) = delete;

  void write_all(const std::string& data);
  // Up to `n` bytes (at least 1); throws Failure on a timeout, an error or the peer closing.
  size_t read_some(char* buf, size_t n);
  // One line without its "\r\n" (bounded: a line over 64 KB is an error).
  std::string read_line();
  // Exactly `n` bytes.
  void read_exact(char* buf, size_t n);
  void set_timeout(std::chrono::milliseconds t) { timeout_ = t; }

 private:
  size_t fill();  // reads into buf_ when it is empty

  std::string where_;
  int fd_ = -1;
  std::chrono::milliseconds timeout_;
  char buf_[65536];
  size_t begin_ = 0, end_ = 0;
};

}  // namespace preshard::ctl
