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

// A blocking connection to a Redis instance or a preshard proxy (hiredis), with a timeout on
// every call. Reconnects on the next command after a failure.
class RedisClient {
 public:
  RedisClient(config::Endpoint endpoint, std::chrono::milliseconds timeout, std::string user = "",
              std::string password = "");
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Kind kNone with `str` saying why when the instance could not be reached or answer.
  Reply command(const std::vector<std::string>& args);
  // INFO <section> as field -> value.
  std::optional<std::map<std::string, std::string>> info(const std::string& section,
                                                         std::string& why);
  const config::Endpoint& endpoint() const { return endpoint_; }

 private:
  bool connect(std::string& why);

  config::Endpoint endpoint_;
  std::chrono::milliseconds timeout_;
  std::string user_, password_;
  redisContext* ctx_ = nullptr;
};

}  // namespace preshard::ctl
