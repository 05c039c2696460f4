#include "preshard/server/admin_http.hpp"

#include <spdlog/spdlog.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <set>

namespace preshard::server {

namespace beast = boost::beast;
namespace http = beast::http;
using net::tcp;

namespace {
constexpr auto kIdle = std::chrono::seconds(30);
}

struct AdminHttp::Impl : std::enable_shared_from_this<AdminHttp::Impl> {
  Impl(net::asio::io_context& io, const tcp::endpoint& at, Handler h)
      : io_(io), acceptor_(io, at), handler_(std::move(h)) {}

  class Session : public std::enable_shared_from_this<Session> {
   public:
    Session(tcp::socket s, std::shared_ptr<Impl> owner)
        : stream_(std::move(s)), owner_(std::move(owner)) {
      owner_->sessions_.insert(this);
    }
    ~Session() { owner_->sessions_.erase(this); }
    void shut() {
      net::error_code ignore;
      stream_.socket().close(ignore);
    }

    void read() {
      parser_.emplace();
      parser_->header_limit(8 * 1024);
      parser_->body_limit(0);
      stream_.expires_after(kIdle);
      http::async_read(
          stream_, buffer_, *parser_,
          [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
    }

   private:
    void on_read(beast::error_code ec) {
      if (ec || owner_->closed_) return;  // closed, idle too long, or a request too large
      const auto& req = parser_->get();
      response_ = {};
      response_.version(req.version());
      response_.keep_alive(req.keep_alive());
      if (req.method() != http::verb::get && req.method() != http::verb::head) {
        response_.result(http::status::method_not_allowed);
        response_.set(http::field::allow, "GET, HEAD");
        response_.body() = "only GET\n";
      } else {
        std::string target(req.target());
        std::string path = target.substr(0, target.find('?'));
        auto auth = req.find(http::field::authorization);
        Response r =
            owner_->handler_(path, auth == req.end() ? std::string() : std::string(auth->value()));
        response_.result(r.status);
        response_.set(http::field::content_type, r.content_type);
        response_.set(http::field::cache_control, "no-store");
        if (!r.www_authenticate.empty()) {
          response_.set(http::field::www_authenticate, r.www_authenticate);
        }
        if (req.method() == http::verb::get) response_.body() = std::move(r.body);
      }
      response_.prepare_payload();
      http::async_write(stream_, response_,
                        [self = shared_from_this()](beast::error_code wec, size_t) {
                          if (wec || !self->response_.keep_alive()) {
                            self->stream_.socket().shutdown(tcp::socket::shutdown_send, wec);
                            return;
                          }
                          self->read();
                        });
    }

    beast::tcp_stream stream_;
    std::shared_ptr<Impl> owner_;
    beast::flat_buffer buffer_{8 * 1024};
    std::optional<http::request_parser<http::empty_body>> parser_;
    http::response<http::string_body> response_;
  };

  void accept() {
    acceptor_.async_accept([self = shared_from_this()](const net::error_code& ec, tcp::socket s) {
      if (ec || self->closed_) return;
      if (self->sessions_.size() >= kMaxSessions) {
        net::error_code ignore;
        s.close(ignore);  // bounded: a flood of connections cannot grow memory
      } else {
        std::make_shared<Session>(std::move(s), self)->read();
      }
      self->accept();
    });
  }

  net::asio::io_context& io_;
  tcp::acceptor acceptor_;
  Handler handler_;
  std::set<Session*> sessions_;  // open ones, closed at shutdown so that the loop can end
  bool closed_ = false;
};

AdminHttp::AdminHttp(net::asio::io_context& io, const tcp::endpoint& at, Handler handler)
    : impl_(std::make_shared<Impl>(io, at, std::move(handler))) {}

AdminHttp::~AdminHttp() {
  close();
}

uint16_t AdminHttp::port() const {
  return impl_->acceptor_.local_endpoint().port();
}

void AdminHttp::start() {
  impl_->accept();
}

void AdminHttp::close() {
  impl_->closed_ = true;
  net::error_code ignore;
  impl_->acceptor_.close(ignore);
  for (Impl::Session* s : impl_->sessions_) s->shut();
}

}  // namespace preshard::server
