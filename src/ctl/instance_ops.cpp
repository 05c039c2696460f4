#include "preshard/ctl/instance_ops.hpp"

#include <fstream>
#include <sstream>

namespace preshard::ctl {

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Failure(path + ": cannot read");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::map<std::string, std::string> info_or_fail(RedisClient& c, const std::string& section) {
  std::string why;
  auto fields = c.info(section, why);
  if (!fields) throw Failure(c.endpoint().to_string() + ": INFO " + section + ": " + why);
  return *fields;
}

std::string field(const std::map<std::string, std::string>& info, const std::string& name) {
  auto it = info.find(name);
  return it == info.end() ? "" : it->second;
}

long long offset(const std::map<std::string, std::string>& info, const std::string& name) {
  try {
    return std::stoll(field(info, name));
  } catch (const std::exception&) {
    return -1;
  }
}

void expect_ok(RedisClient& c, const std::vector<std::string>& args) {
  Reply r = c.command(args);
  if (!r.ok()) {
    std::string cmd;
    for (const auto& a : args) cmd += (cmd.empty() ? "" : " ") + a;
    throw Failure(c.endpoint().to_string() + ": " + cmd + ": " + r.str);
  }
}

long version_number(const std::string& v) {
  long major = 0, minor = 0, patch = 0;
  char dot = 0;
  std::istringstream in(v);
  in >> major >> dot >> minor >> dot >> patch;
  return major * 1'000'000 + minor * 1'000 + patch;
}

}  // namespace preshard::ctl
