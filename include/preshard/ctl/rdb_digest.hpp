#pragma once
// What a backup records of an RDB and what verify recomputes: size, SHA-256, the header, and the
// CRC-64 of everything but the last 8 bytes next to those 8 bytes. Fed in pieces.
#include <cstdint>
#include <string>

#include "preshard/ctl/sha256.hpp"

namespace preshard::ctl {

class RdbDigest {
 public:
  void update(const char* data, size_t len);
  uint64_t bytes() const { return bytes_; }
  const std::string& header() const { return header_; }
  uint64_t crc64() const { return crc_; }
  uint64_t stored_crc() const;                 // the last 8 bytes, little-endian
  std::string sha256() { return sha_.hex(); }  // once, at the end
  // "" when the payload is a sound RDB: "REDIS" and four digits, and a matching checksum (or
  // a zero one: saved with rdbchecksum no); otherwise what is wrong.
  std::string problem() const;

 private:
  Sha256 sha_;
  uint64_t bytes_ = 0, crc_ = 0;
  std::string header_;
  std::string tail_;  // the last (up to) 8 bytes seen, not yet in crc_
};

}  // namespace preshard::ctl
