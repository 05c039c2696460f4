#include "preshard/proxy/function_libraries.hpp"

#include <cctype>

namespace preshard::proxy {

namespace {

void skip_space(std::string_view s, size_t& i) {
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
}

// A quoted Lua string at i ('x' or "x", no escapes): its text, or "" if there is none.
std::string quoted(std::string_view s, size_t i) {
  skip_space(s, i);
  if (i >= s.size() || (s[i] != '\'' && s[i] != '"')) return "";
  size_t end = s.find(s[i], i + 1);
  return end == std::string_view::npos ? "" : std::string(s.substr(i + 1, end - i - 1));
}

}  // namespace

std::string library_name(std::string_view code) {
  std::string_view first = code.substr(0, code.find('\n'));
  if (!first.starts_with("#!")) return "";
  size_t at = first.find(" name=");
  if (at == std::string_view::npos) return "";
  std::string_view rest = first.substr(at + 6);
  return std::string(rest.substr(0, rest.find_first_of(" \t\r")));
}

std::vector<std::string> registered_functions(std::string_view code) {
  std::vector<std::string> names;
  static constexpr std::string_view kCall = "register_function";
  for (size_t at = code.find(kCall); at != std::string_view::npos;
       at = code.find(kCall, at + kCall.size())) {
    size_t i = at + kCall.size();
    skip_space(code, i);
    std::string name;
    if (i < code.size() && code[i] == '(') {
      name = quoted(code, i + 1);
    } else if (i < code.size() && code[i] == '{') {
      size_t key = code.find("function_name", i);
      size_t close = code.find('}', i);
      if (key != std::string_view::npos && key < close) {
        size_t eq = code.find('=', key);
        if (eq != std::string_view::npos && eq < close) name = quoted(code, eq + 1);
      }
    }
    if (!name.empty()) names.push_back(std::move(name));
  }
  return names;
}

void FunctionLibraries::put(std::string_view code, size_t max_bytes) {
  std::string name = library_name(code);
  if (name.empty()) return;
  std::lock_guard lock(m_);
  auto it = libraries_.find(name);
  size_t without = bytes_ - (it != libraries_.end() ? it->second->code.size() : 0);
  if (without + code.size() > max_bytes) return;  // not remembered: FCALL is the instance's
  libraries_[name] = std::make_shared<const Library>(Library{name, std::string(code)});
  bytes_ = without + code.size();
  reindex();
}

void FunctionLibraries::drop(std::string_view library) {
  std::lock_guard lock(m_);
  auto it = libraries_.find(std::string(library));
  if (it == libraries_.end()) return;
  bytes_ -= it->second->code.size();
  libraries_.erase(it);
  reindex();
}

void FunctionLibraries::flush() {
  std::lock_guard lock(m_);
  libraries_.clear();
  bytes_ = 0;
  reindex();
}

void FunctionLibraries::reindex() {
  by_function_.clear();
  for (const auto& [name, lib] : libraries_) {
    for (std::string& f : registered_functions(lib->code)) by_function_[std::move(f)] = lib;
  }
  generation_.fetch_add(1, std::memory_order_acq_rel);
}

FunctionIndex FunctionLibraries::index() const {
  std::lock_guard lock(m_);
  return by_function_;
}

const Library* FunctionCache::library_of(std::string_view name) {
  uint64_t gen = libraries_->generation();
  if (gen != generation_) {  // a load, delete or flush through any worker
    index_ = libraries_->index();
    generation_ = gen;
  }
  if (index_.empty()) return nullptr;  // the usual case: no function loaded through the proxy
  auto it = index_.find(std::string(name));
  return it == index_.end() ? nullptr : it->second.get();
}

}  // namespace preshard::proxy
