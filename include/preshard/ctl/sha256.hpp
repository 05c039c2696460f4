#pragma once
// SHA-256 over a stream (OpenSSL's EVP), as lower-case hex.
#include <cstddef>
#include <memory>
#include <string>

namespace preshard::ctl {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, size_t len);
  std::string hex();  // ends the stream

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace preshard::ctl
