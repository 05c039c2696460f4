#pragma once
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "preshard/config/endpoint.hpp"

struct redisContext;

namespace preshard::ctl {

// A reply, reduced to what the tools look at.
struct Reply {
  enum class Type { kString, kStatus, kError, kInteger, kNil, kArray, kNone } type = Type::kNone;
  std::string str;  // string, status or error text
  long long integer = 0;
  std::vector<Reply> elements;

  bool ok() const { return type != Type::kError && type != Type::kNone; }
};

// An INFO reply's text as field -> value (section headers and blank lines skipped).
std::map<std::string, std::string> parse_info(const std::string& text);

// The keys of every database in INFO's keyspace lines ("db0:keys=12,expires=0,avg_ttl=0");
// `dbs`, when given, gets each database's number.
long long keyspace_keys(const std::map<std::string, std::string>& info,
                        std::vector<std::string>* dbs = nullptr);

// A blocking connection to a Redis instance or a preshard proxy (hiredis), with a timeout on
// every call. Reconnects on the next command after a failure. An endpoint whose host is a path
// ("/run/x.sock", port 0) is a unix socket.
class RedisClient {
 public:
  RedisClient(config::Endpoint endpoint, std::chrono::milliseconds timeout, std::string user = "",
              std::string password = "");
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Kind kNone with `str` saying why when the instance could not be reached or answer.
  Reply command(const std::vector<std::string>& args);
  // The commands sent at once, their replies in order (kNone for each one not answered).
  std::vector<Reply> pipeline(const std::vector<std::vector<std::string>>& commands);
  // INFO <section> as field -> value.
  std::optional<std::map<std::string, std::string>> info(const std::string& section,
                                                         std::string& why);
  const config::Endpoint& endpoint() const { return endpoint_; }
  // Connects (and AUTHs) now unless connected; false with `why` when that fails.
  bool connect(std::string& why);

 private:
  config::Endpoint endpoint_;
  std::chrono::milliseconds timeout_;
  std::string user_, password_;
  redisContext* ctx_ = nullptr;
};

}  // namespace preshard::ctl
