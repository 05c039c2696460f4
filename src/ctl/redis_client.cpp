#include "preshard/ctl/redis_client.hpp"

#include <hiredis/hiredis.h>

namespace preshard::ctl {

namespace {

Reply convert(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(convert(r->element[i]));
      break;
    default:
      out.type = Reply::Type::kNil;
  }
  return out;
}

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

}  // namespace

RedisClient::RedisClient(config::Endpoint endpoint, std::chrono::milliseconds timeout,
                         std::string user, std::string password)
    : endpoint_(std::move(endpoint)),
      timeout_(timeout),
      user_(std::move(user)),
      password_(std::move(password)) {}

RedisClient::~RedisClient() {
  if (ctx_) redisFree(ctx_);
}

bool RedisClient::connect(std::string& why) {
  if (ctx_) return true;
  std::string host = endpoint_.host;
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  // A host that is a path is a unix socket (the temporary instances of a restore).
  ctx_ = host.starts_with("/")
             ? redisConnectUnixWithTimeout(host.c_str(), to_timeval(timeout_))
             : redisConnectWithTimeout(host.c_str(), endpoint_.port, to_timeval(timeout_));
  if (!ctx_ || ctx_->err) {
    why = ctx_ ? ctx_->errstr : "out of memory";
    if (ctx_) redisFree(ctx_);
    ctx_ = nullptr;
    return false;
  }
  redisSetTimeout(ctx_, to_timeval(timeout_));
  if (!password_.empty()) {
    auto* r = static_cast<redisReply*>(
        user_.empty() ? redisCommand(ctx_, "AUTH %s", password_.c_str())
                      : redisCommand(ctx_, "AUTH %s %s", user_.c_str(), password_.c_str()));
    bool ok = r && r->type == REDIS_REPLY_STATUS;
    why = r && r->type == REDIS_REPLY_ERROR ? std::string(r->str, r->len) : "AUTH failed";
    if (r) freeReplyObject(r);
    if (!ok) {
      redisFree(ctx_);
      ctx_ = nullptr;
      return false;
    }
  }
  return true;
}

Reply RedisClient::command(const std::vector<std::string>& args) {
  Reply out;
  if (!connect(out.str)) {
    out.str = endpoint_.to_string() + ": " + out.str;
    return out;
  }
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* r = static_cast<redisReply*>(
      redisCommandArgv(ctx_, static_cast<int>(args.size()), argv.data(), lens.data()));
  if (!r) {
    out.str = endpoint_.to_string() + ": " + (ctx_->errstr[0] ? ctx_->errstr : "no reply");
    redisFree(ctx_);  // a connection that failed mid-command cannot be trusted again
    ctx_ = nullptr;
    return out;
  }
  out = convert(r);
  freeReplyObject(r);
  return out;
}

std::vector<Reply> RedisClient::pipeline(const std::vector<std::vector<std::string>>& commands) {
  std::vector<Reply> out(commands.size());
  std::string why;
  if (!connect(why)) {
    for (auto& r : out) r.str = endpoint_.to_string() + ": " + why;
    return out;
  }
  for (const auto& args : commands) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    redisAppendCommandArgv(ctx_, static_cast<int>(args.size()), argv.data(), lens.data());
  }
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx_, &raw) != REDIS_OK || !raw) {
      std::string err =
          endpoint_.to_string() + ": " + (ctx_->errstr[0] ? ctx_->errstr : "no reply");
      for (size_t j = i; j < out.size(); ++j) out[j].str = err;
      redisFree(ctx_);
      ctx_ = nullptr;
      break;
    }
    out[i] = convert(static_cast<redisReply*>(raw));
    freeReplyObject(raw);
  }
  return out;
}

std::map<std::string, std::string> parse_info(const std::string& text) {
  std::map<std::string, std::string> fields;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t colon = line.find(':');
    if (line.empty() || line[0] == '#' || colon == std::string::npos) continue;
    fields[line.substr(0, colon)] = line.substr(colon + 1);
  }
  return fields;
}

long long keyspace_keys(const std::map<std::string, std::string>& info,
                        std::vector<std::string>* dbs) {
  long long total = 0;
  for (const auto& [k, v] : info) {
    if (k.rfind("db", 0) != 0 || v.rfind("keys=", 0) != 0) continue;
    total += std::atoll(v.c_str() + 5);
    if (dbs) dbs->push_back(k.substr(2));
  }
  return total;
}

std::optional<std::map<std::string, std::string>> RedisClient::info(const std::string& section,
                                                                    std::string& why) {
  Reply r = command({"INFO", section});
  if (r.type != Reply::Type::kString) {
    why = r.str.empty() ? "unexpected INFO reply" : r.str;
    return std::nullopt;
  }
  return parse_info(r.str);
}

}  // namespace preshard::ctl
