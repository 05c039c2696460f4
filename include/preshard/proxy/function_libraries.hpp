#pragma once
// The function libraries clients loaded through this proxy (FUNCTION LOAD), shared by the
// workers, so that FCALL works on a shard that lacks the library (an instance restarted empty,
// or one where the broadcast load failed): it is loaded there first, on the same connection.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace preshard::proxy {

struct Library {
  std::string name;  // from its "#!lua name=NAME" line
  std::string code;
};
using FunctionIndex = std::unordered_map<std::string, std::shared_ptr<const Library>>;

// The library name of FUNCTION LOAD's code ("" if its first line names none), and the functions
// it registers: redis.register_function('f', ...) and register_function{function_name='f'}
// (a name computed at run time is not seen: FCALL of it is left to the instance).
std::string library_name(std::string_view code);
std::vector<std::string> registered_functions(std::string_view code);

class FunctionLibraries {
 public:
  // Remembers a library (replacing one of the same name); not beyond `max_bytes` in all.
  void put(std::string_view code, size_t max_bytes);
  void drop(std::string_view library);  // FUNCTION DELETE
  void flush();                         // FUNCTION FLUSH
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  FunctionIndex index() const;  // function name -> its library (a copy, for a worker)

 private:
  void reindex();  // under m_
  mutable std::mutex m_;
  std::unordered_map<std::string, std::shared_ptr<const Library>> libraries_;
  FunctionIndex by_function_;
  size_t bytes_ = 0;
  std::atomic<uint64_t> generation_{1};
};

// One worker's copy of the index, refreshed when the libraries change: no lock per FCALL.
class FunctionCache {
 public:
  explicit FunctionCache(std::shared_ptr<FunctionLibraries> libraries)
      : libraries_(std::move(libraries)) {}
  FunctionLibraries& libraries() { return *libraries_; }
  // The library function `name` belongs to, or null when no client of this proxy loaded it.
  const Library* library_of(std::string_view name);

 private:
  std::shared_ptr<FunctionLibraries> libraries_;
  FunctionIndex index_;
  uint64_t generation_ = 0;
};

}  // namespace preshard::proxy
