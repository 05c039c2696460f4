#include "preshard/ctl/rdb_digest.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "preshard/ctl/crc64.hpp"

namespace preshard::ctl {

void RdbDigest::update(const char* data, size_t len) {
  sha_.update(data, len);
  bytes_ += len;
  if (header_.size() < 9) header_.append(data, std::min(len, 9 - header_.size()));
  // Keep the newest 8 bytes out of the CRC: they may be the checksum itself.
  if (len >= 8) {
    crc_ = ctl::crc64(crc_, tail_.data(), tail_.size());
    crc_ = ctl::crc64(crc_, data, len - 8);
    tail_.assign(data + len - 8, 8);
    return;
  }
  tail_.append(data, len);
  if (tail_.size() > 8) {
    size_t spill = tail_.size() - 8;
    crc_ = ctl::crc64(crc_, tail_.data(), spill);
    tail_.erase(0, spill);
  }
}

uint64_t RdbDigest::stored_crc() const {
  uint64_t v = 0;
  for (size_t i = tail_.size(); i-- > 0;) v = (v << 8) | static_cast<unsigned char>(tail_[i]);
  return v;
}

std::string RdbDigest::problem() const {
  bool digits = header_.size() == 9 && std::all_of(header_.begin() + 5, header_.end(), [](char c) {
                  return std::isdigit(static_cast<unsigned char>(c));
                });
  if (header_.compare(0, 5, "REDIS") != 0 || !digits) {
    return "not an RDB file (it does not start with REDIS and a 4-digit version)";
  }
  if (bytes_ < 9 + 1 + 8) return "truncated (" + std::to_string(bytes_) + " bytes)";
  uint64_t stored = stored_crc();
  if (stored != 0 && stored != crc_) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "RDB checksum mismatch: computed %016llx, stored %016llx",
                  static_cast<unsigned long long>(crc_), static_cast<unsigned long long>(stored));
    return buf;
  }
  return "";
}

}  // namespace preshard::ctl
