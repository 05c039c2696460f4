#pragma once
#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "preshard/proxy/function_libraries.hpp"

namespace preshard::proxy {

// Every script body a client of this proxy loaded (EVAL, SCRIPT LOAD), by SHA1, shared by the
// workers: so that EVALSHA works on every shard, whichever shard or worker the script was
// loaded through. Bounded by bytes, least recently used first out. Locked, but only touched
// when a worker meets a script it has no copy of (ScriptCache keeps one per worker).
class ScriptStore {
 public:
  void put(const std::string& sha, std::string_view body, size_t max_bytes);
  std::optional<std::string> get(const std::string& sha);
  // SCRIPT FLUSH: forgets every script and starts a new generation.
  void flush();
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // The function libraries loaded through the proxy, shared the same way.
  std::shared_ptr<FunctionLibraries> libraries = std::make_shared<FunctionLibraries>();

 private:
  struct Entry {
    std::string body;
    std::list<std::string>::iterator order;
  };
  std::mutex m_;
  std::unordered_map<std::string, Entry> scripts_;
  std::list<std::string> order_;  // shas, least recently used first
  size_t bytes_ = 0;
  std::atomic<uint64_t> generation_{1};
};

// One worker's view of the store, without locks on a hit.
class ScriptCache {
 public:
  explicit ScriptCache(std::shared_ptr<ScriptStore> store) : store_(std::move(store)) {}

  const std::shared_ptr<ScriptStore>& store() const { return store_; }
  uint64_t generation() const { return store_->generation(); }
  void learn(const std::string& sha, std::string_view body, size_t max_bytes);
  // The body of script `sha` (any case), or null when no client of this proxy loaded it.
  const std::string* find(std::string_view sha, size_t max_bytes);

 private:
  std::shared_ptr<ScriptStore> store_;
  std::unordered_map<std::string, std::string> local_;
  size_t local_bytes_ = 0;
  uint64_t generation_ = 0;  // of local_
};

// A script's name, as EVALSHA takes it and SCRIPT LOAD answers it: SHA1, 40 lowercase hex.
std::string script_sha(std::string_view body);
// An instance's reply that means the script did not compile (so Redis did not cache it).
bool is_compile_error(std::string_view reply);

}  // namespace preshard::proxy
