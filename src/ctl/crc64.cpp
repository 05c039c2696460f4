#include "preshard/ctl/crc64.hpp"

#include <array>

namespace preshard::ctl {

namespace {

// The Jones polynomial 0xad93d23594c935a9, bit-reversed for the reflected algorithm.
constexpr uint64_t kPolyReflected = 0x95ac9329ac4bc9b5ull;

constexpr std::array<uint64_t, 256> make_table() {
  std::array<uint64_t, 256> t{};
  for (uint64_t i = 0; i < 256; ++i) {
    uint64_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ kPolyReflected : c >> 1;
    t[i] = c;
  }
  return t;
}

constexpr std::array<uint64_t, 256> kTable = make_table();

}  // namespace

uint64_t crc64(uint64_t crc, const void* data, size_t len) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < len; ++i) crc = kTable[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

}  // namespace preshard::ctl
