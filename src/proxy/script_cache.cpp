#include "preshard/proxy/script_cache.hpp"

#include <cctype>

#include "preshard/router/sha1.hpp"

namespace preshard::proxy {

void ScriptStore::put(const std::string& sha, std::string_view body, size_t max_bytes) {
  std::lock_guard lock(m_);
  auto it = scripts_.find(sha);
  if (it != scripts_.end()) {
    order_.splice(order_.end(), order_, it->second.order);
    return;
  }
  order_.push_back(sha);
  scripts_.emplace(sha, Entry{std::string(body), std::prev(order_.end())});
  bytes_ += body.size();
  while (bytes_ > max_bytes && order_.size() > 1) {
    auto old = scripts_.find(order_.front());
    bytes_ -= old->second.body.size();
    scripts_.erase(old);
    order_.pop_front();
  }
}

std::optional<std::string> ScriptStore::get(const std::string& sha) {
  std::lock_guard lock(m_);
  auto it = scripts_.find(sha);
  if (it == scripts_.end()) return std::nullopt;
  order_.splice(order_.end(), order_, it->second.order);
  return it->second.body;
}

void ScriptStore::flush() {
  std::lock_guard lock(m_);
  scripts_.clear();
  order_.clear();
  bytes_ = 0;
  generation_.fetch_add(1, std::memory_order_acq_rel);
}

void ScriptCache::learn(const std::string& sha, std::string_view body, size_t max_bytes) {
  store_->put(sha, body, max_bytes);
}

const std::string* ScriptCache::find(std::string_view name, size_t max_bytes) {
  uint64_t gen = store_->generation();
  if (gen != generation_) {  // a SCRIPT FLUSH, through any worker
    local_.clear();
    local_bytes_ = 0;
    generation_ = gen;
  }
  std::string sha(name);
  for (char& ch : sha) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (auto it = local_.find(sha); it != local_.end()) return &it->second;
  std::optional<std::string> body = store_->get(sha);
  if (!body) return nullptr;
  if (local_bytes_ + body->size() > max_bytes) {  // the store keeps them; copies come back
    local_.clear();
    local_bytes_ = 0;
  }
  local_bytes_ += body->size();
  return &local_.emplace(std::move(sha), std::move(*body)).first->second;
}

std::string script_sha(std::string_view body) {
  return router::sha1_hex(body);
}

bool is_compile_error(std::string_view reply) {
  return reply.starts_with("-ERR Error compiling script");
}

}  // namespace preshard::proxy
