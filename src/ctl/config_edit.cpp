#include "preshard/ctl/config_edit.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>

#include "preshard/config/config.hpp"

namespace preshard::ctl {

std::optional<std::string> replace_instance(const std::string& yaml_text, size_t shard,
                                            const std::string& address, std::string& why) {
  YAML::Node node;
  try {
    YAML::Node root = YAML::Load(yaml_text);
    YAML::Node list = root["instances"];
    if (!list.IsSequence() || shard >= list.size()) {
      why = "instances has no entry " + std::to_string(shard);
      return std::nullopt;
    }
    node = list[shard];
  } catch (const YAML::Exception& e) {
    why = e.what();
    return std::nullopt;
  }
  size_t begin = static_cast<size_t>(node.Mark().pos);
  if (!node.IsScalar() || begin >= yaml_text.size()) {
    why = "instance " + std::to_string(shard) + " is not a plain host:port entry";
    return std::nullopt;
  }
  size_t end = begin;
  char quote = yaml_text[begin];
  if (quote == '"' || quote == '\'') {
    end = yaml_text.find(quote, begin + 1);
    if (end == std::string::npos) {
      why = "unterminated quote";
      return std::nullopt;
    }
    ++end;
  } else {
    end = yaml_text.find_first_of(" \t\r\n,]#", begin);
    if (end == std::string::npos) end = yaml_text.size();
  }
  // "[::1]:7000" would read as a YAML list: such an address is written quoted.
  std::string scalar = address.find_first_of("[]{}#,&*!|>'\"%@`") == std::string::npos
                           ? address
                           : "\"" + address + "\"";
  std::string out = yaml_text.substr(0, begin) + scalar + yaml_text.substr(end);
  // Whatever the file looked like, the result must say exactly what was meant.
  auto before = config::parse_config(yaml_text, "before");
  auto after = config::parse_config(out, "after");
  if (!after.errors.empty()) {
    why = "the edited file does not parse: " + after.errors.front().to_string();
    return std::nullopt;
  }
  if (!before.errors.empty()) {
    why = "the file does not parse: " + before.errors.front().to_string();
    return std::nullopt;
  }
  const auto& b = before.config->instances;
  const auto& a = after.config->instances;
  bool ok = a.size() == b.size() && a[shard].to_string() == address;
  for (size_t i = 0; ok && i < a.size(); ++i) ok = i == shard || a[i] == b[i];
  if (!ok) {
    why = "editing instance " + std::to_string(shard) + " changed more than that entry";
    return std::nullopt;
  }
  return out;
}

bool write_atomically(const std::string& path, const std::string& text, std::string& why) {
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    why = tmp + ": " + std::strerror(errno);
    return false;
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      why = tmp + ": " + std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    why = tmp + ": " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return false;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    why = path + ": " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace preshard::ctl
