#include "preshard/net/name_cache.hpp"

#include <netdb.h>
#include <sys/socket.h>

#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace preshard::net {

namespace {

using SteadyClock = std::chrono::steady_clock;

// getaddrinfo, blocking: the lookup thread's whole job.
NameCache::Result lookup(const std::string& host) {
  NameCache::Result r;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &list);
  if (rc != 0) {
    r.error = ::gai_strerror(rc);
    return r;
  }
  for (addrinfo* a = list; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      auto* in = reinterpret_cast<sockaddr_in*>(a->ai_addr);
      r.addresses.emplace_back(asio::ip::address_v4(ntohl(in->sin_addr.s_addr)));
    } else if (a->ai_family == AF_INET6) {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(a->ai_addr);
      asio::ip::address_v6::bytes_type bytes;
      std::copy(std::begin(in6->sin6_addr.s6_addr), std::end(in6->sin6_addr.s6_addr),
                bytes.begin());
      r.addresses.emplace_back(asio::ip::address_v6(bytes, in6->sin6_scope_id));
    }
  }
  ::freeaddrinfo(list);
  if (r.addresses.empty()) r.error = "no address";
  return r;
}

}  // namespace

struct NameCache::State : std::enable_shared_from_this<NameCache::State> {
  struct Waiter {
    asio::io_context* io;
    Callback done;
  };
  struct Entry {
    Result result;                 // the last successful answer (empty: none yet)
    SteadyClock::time_point at{};  // when it was obtained
    bool looking_up = false;
    std::vector<Waiter> waiters;  // no answer yet: they get the lookup's
  };

  std::mutex mutex;  // connects only, never the request path
  bool closed = false;
  std::unordered_map<std::string, Entry> entries;

  void start_lookup(const std::string& host, Entry& e) {
    e.looking_up = true;
    std::thread([self = shared_from_this(), host] { self->finish(host, lookup(host)); }).detach();
  }

  void finish(const std::string& host, const Result& r) {
    std::lock_guard lock(mutex);
    if (closed) return;
    Entry& e = entries[host];
    e.looking_up = false;
    if (!r.addresses.empty()) {
      e.result = r;
      e.at = SteadyClock::now();
    }
    // Posted under the lock: once the cache is closed, no io_context is touched again.
    for (auto& w : e.waiters) asio::post(*w.io, [r, done = std::move(w.done)] { done(r); });
    e.waiters.clear();
  }
};

NameCache::NameCache() : state_(std::make_shared<State>()) {}

void NameCache::close() {
  std::lock_guard lock(state_->mutex);
  state_->closed = true;
  state_->entries.clear();
}

void NameCache::resolve(asio::io_context& io, const std::string& host,
                        std::chrono::milliseconds ttl, Callback done) {
  std::lock_guard lock(state_->mutex);
  State::Entry& e = state_->entries[host];
  if (!e.result.addresses.empty()) {
    // Fresh, or stale addresses that serve while a refresh runs.
    if (SteadyClock::now() - e.at >= ttl && !e.looking_up) state_->start_lookup(host, e);
    asio::post(io, [r = e.result, done = std::move(done)] { done(r); });
    return;
  }
  e.waiters.push_back({&io, std::move(done)});
  if (!e.looking_up) state_->start_lookup(host, e);
}

}  // namespace preshard::net
