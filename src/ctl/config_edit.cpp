#include "preshard/ctl/config_edit.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>

#include "preshard/config/config.hpp"

namespace preshard::ctl {

namespace {

// "[::1]:7000" would read as a YAML list: such an address is written quoted.
std::string yaml_address(const config::Endpoint& ep) {
  std::string a = ep.to_string();
  return a.find_first_of("[]{}#,&*!|>'\"%@`") == std::string::npos ? a : "\"" + a + "\"";
}

// Where entry `node` ends in the text: a scalar (quoted or plain) or a flow map {...}.
std::optional<size_t> entry_end(const std::string& text, const YAML::Node& node, size_t begin,
                                std::string& why) {
  char first = text[begin];
  if (node.IsMap()) {
    if (first != '{') {
      why = "its entry is a block map: write it as {master: ..., replicas: [...]} to edit it";
      return std::nullopt;
    }
    int depth = 0;
    for (size_t i = begin; i < text.size(); ++i) {
      if (text[i] == '{' || text[i] == '[') ++depth;
      if ((text[i] == '}' || text[i] == ']') && --depth == 0) return i + 1;
      if (text[i] == '#') break;  // a comment inside a flow map: not ours to edit
    }
    why = "its entry's {...} does not end where expected";
    return std::nullopt;
  }
  if (first == '"' || first == '\'') {
    size_t end = text.find(first, begin + 1);
    if (end == std::string::npos) {
      why = "unterminated quote";
      return std::nullopt;
    }
    return end + 1;
  }
  size_t end = text.find_first_of(" \t\r\n,]#", begin);
  return end == std::string::npos ? text.size() : end;
}

}  // namespace

std::optional<std::string> replace_entry(const std::string& yaml_text, size_t shard,
                                         const config::Endpoint& master,
                                         const std::vector<config::Endpoint>& replicas,
                                         std::string& why) {
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
  if (!(node.IsScalar() || node.IsMap()) || begin >= yaml_text.size()) {
    why = "instance " + std::to_string(shard) + " is neither host:port nor {master, replicas}";
    return std::nullopt;
  }
  auto end = entry_end(yaml_text, node, begin, why);
  if (!end) {
    why = "instance " + std::to_string(shard) + ": " + why;
    return std::nullopt;
  }
  std::string entry = yaml_address(master);
  if (!replicas.empty()) {
    entry = "{master: " + entry + ", replicas: [";
    for (size_t i = 0; i < replicas.size(); ++i) {
      entry += (i ? ", " : "") + yaml_address(replicas[i]);
    }
    entry += "]}";
  }
  std::string out = yaml_text.substr(0, begin) + entry + yaml_text.substr(*end);
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
  const config::Config& b = *before.config;
  const config::Config& a = *after.config;
  bool ok = a.instances.size() == b.instances.size() && a.instances[shard] == master &&
            a.replicas[shard] == replicas;
  for (size_t i = 0; ok && i < a.instances.size(); ++i) {
    ok = i == shard || (a.instances[i] == b.instances[i] && a.replicas[i] == b.replicas[i]);
  }
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
