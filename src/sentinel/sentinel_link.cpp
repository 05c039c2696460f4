#include "preshard/sentinel/sentinel_link.hpp"

#include "preshard/resp/encode.hpp"

namespace preshard::sentinel {

SentinelLink::SentinelLink(asio::io_context& io, std::shared_ptr<net::NameCache> names,
                           config::Endpoint address, std::string password,
                           std::chrono::milliseconds timeout, Handlers handlers)
    : io_(io),
      names_(std::move(names)),
      address_(std::move(address)),
      password_(std::move(password)),
      timeout_(timeout),
      handlers_(std::move(handlers)),
      socket_(io),
      timer_(io) {}

void SentinelLink::send(const resp::Request& req, OnReply on_reply) {
  if (closed_) {
    on_reply({});
    return;
  }
  resp::append_command(out_, req);
  pending_.push_back({std::move(on_reply), Clock::now()});
  if (!started_) {
    connect();
  } else {
    flush();
  }
  arm();
}

void SentinelLink::connect() {
  started_ = true;
  connect_started_ = Clock::now();
  if (!password_.empty()) {
    // AUTH goes first; its reply is checked like any other, ahead of the queued commands.
    std::string auth;
    resp::append_command(auth, resp::Request{"AUTH", password_});
    out_.insert(0, auth);
    pending_.push_front({[self = weak_from_this()](std::string_view raw) {
                           auto s = self.lock();
                           if (s && !raw.empty() && raw[0] == '-') {
                             s->close("AUTH refused: " +
                                      std::string(raw.substr(1, raw.find('\r') - 1)));
                           }
                         },
                         Clock::now()});
  }
  auto go = [self = shared_from_this()](const asio::ip::address& ip) {
    self->socket_.async_connect(tcp::endpoint(ip, self->address_.port),
                                [self](const error_code& ec) {
                                  if (self->closed_) return;
                                  if (ec) return self->close("connect: " + ec.message());
                                  self->on_connected();
                                });
  };
  error_code ec;
  auto ip = asio::ip::make_address(address_.host, ec);
  if (!ec) return go(ip);
  names_->resolve(io_, address_.host, std::chrono::seconds(30),
                  [self = shared_from_this(), go](const net::NameCache::Result& r) {
                    if (self->closed_) return;
                    if (r.addresses.empty()) return self->close("resolve: " + r.error);
                    go(r.addresses.front());
                  });
}

void SentinelLink::on_connected() {
  ready_ = true;
  error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
  read_more();
  flush();
}

void SentinelLink::flush() {
  if (!ready_ || writing_ || out_.empty()) return;
  writing_ = true;
  sending_.swap(out_);
  out_.clear();
  asio::async_write(socket_, asio::buffer(sending_),
                    [self = shared_from_this()](const error_code& ec, size_t) {
                      if (self->closed_) return;
                      self->writing_ = false;
                      self->sending_.clear();
                      if (ec) return self->close("write: " + ec.message());
                      self->flush();
                    });
}

void SentinelLink::read_more() {
  constexpr size_t kChunk = 16 * 1024;
  char* buf = framer_.prepare(kChunk);
  socket_.async_read_some(asio::buffer(buf, kChunk), [self = shared_from_this()](
                                                         const error_code& ec, size_t n) {
    if (self->closed_) return;
    self->framer_.commit(ec ? 0 : n);
    if (ec)
      return self->close(ec == asio::error::eof ? "closed by Sentinel" : "read: " + ec.message());
    std::string_view raw;
    while (!self->closed_) {
      resp::FrameStatus st = self->framer_.next(raw);
      if (st == resp::FrameStatus::kNeedMore) break;
      if (st == resp::FrameStatus::kError) return self->close(self->framer_.error());
      if (self->pending_.empty()) {
        if (self->handlers_.message) self->handlers_.message(raw);
        continue;
      }
      auto on_reply = std::move(self->pending_.front().on_reply);
      self->pending_.pop_front();
      on_reply(raw);
    }
    if (!self->closed_) self->read_more();
  });
}

// One timer: the connect, then the oldest unanswered command, must finish within timeout_.
void SentinelLink::arm() {
  if (closed_ || pending_.empty()) return;
  auto since = ready_ ? pending_.front().sent : connect_started_;
  timer_.expires_at(since + timeout_);
  timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (ec || self->closed_ || self->pending_.empty()) return;
    auto since2 = self->ready_ ? self->pending_.front().sent : self->connect_started_;
    if (Clock::now() - since2 >= self->timeout_) {
      return self->close(self->ready_ ? "no answer within timeout_ms"
                                      : "connect timed out (connect_timeout_ms)");
    }
    self->arm();
  });
}

void SentinelLink::close(const std::string& why) {
  if (closed_) return;
  closed_ = true;
  ready_ = false;
  error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& p : pending) p.on_reply({});
  if (handlers_.down) handlers_.down(why);
}

}  // namespace preshard::sentinel
