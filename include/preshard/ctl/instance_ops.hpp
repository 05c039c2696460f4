#pragma once
// Small steps on instances that the operations commands (migrate, and the ones to come: backup,
// failover) share: reading INFO, expecting OK, failing with a message for the operator.
#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "preshard/ctl/redis_client.hpp"

namespace preshard::ctl {

// A step that failed: what to tell the operator.
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

double ms_since(std::chrono::steady_clock::time_point t);
std::string read_file(const std::string& path);
// INFO <section> as fields; throws Failure naming the instance.
std::map<std::string, std::string> info_or_fail(RedisClient& c, const std::string& section);
// A field of INFO; "" when absent.
std::string field(const std::map<std::string, std::string>& info, const std::string& name);
// A replication offset from INFO; -1 when absent (not replicating yet).
long long offset(const std::map<std::string, std::string>& info, const std::string& name);
// Runs the command; throws Failure unless it answers +OK.
void expect_ok(RedisClient& c, const std::vector<std::string>& args);
// "7.0.15" -> 7000015, for comparisons.
long version_number(const std::string& v);

}  // namespace preshard::ctl
