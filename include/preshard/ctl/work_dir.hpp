#pragma once
// A scratch directory next to a command's output, removed (with whatever is left in it) on
// every way out, so that a failed run leaves nothing behind.
#include <filesystem>
#include <string>
#include <system_error>

#include "preshard/ctl/instance_ops.hpp"

namespace preshard::ctl {

class WorkDir {
 public:
  // Creates `path`; throws Failure when it cannot.
  explicit WorkDir(std::filesystem::path path) : path_(std::move(path)) {
    std::error_code ec;
    std::filesystem::create_directories(path_, ec);
    if (ec) throw Failure(path_.string() + ": " + ec.message());
  }
  ~WorkDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace preshard::ctl
