#pragma once
// Redis's CRC-64 (Jones polynomial, reflected, init 0): the checksum at the end of an RDB file
// and of a DUMP payload. No Debian library computes this variant.
#include <cstddef>
#include <cstdint>

namespace preshard::ctl {

// Continues `crc` over `len` bytes (start with 0).
uint64_t crc64(uint64_t crc, const void* data, size_t len);

}  // namespace preshard::ctl
