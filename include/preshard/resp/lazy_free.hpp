#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace preshard::resp {

// Buffers at least this large are freed on a thread of their own (Redis's lazyfree does the
// same for big values): giving back hundreds of MB costs the kernel tens of milliseconds of
// unmapping, which an event loop serving other clients must not spend.
inline constexpr size_t kLazyFreeBytes = 8u << 20;

// Frees `s`'s buffer: here if it is small, else on the free thread (started on first use).
void free_lazily(std::string&& s);
// Buffers the free thread has given back so far (for tests).
uint64_t lazily_freed();

}  // namespace preshard::resp
