#include "preshard/net/transport.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

namespace preshard::net {

Transport::Transport(tcp::socket socket, std::shared_ptr<asio::ssl::context> tls)
    : socket_(std::move(socket)), tls_ctx_(std::move(tls)) {
  if (tls_ctx_) tls_ = std::make_unique<TlsStream>(socket_, *tls_ctx_);
  error_code ec;
  auto ep = socket_.remote_endpoint(ec);
  if (!ec) peer_ = ep.address().to_string() + ":" + std::to_string(ep.port());
  auto here = socket_.local_endpoint(ec);
  if (!ec) local_ = here.address().to_string() + ":" + std::to_string(here.port());
  socket_.set_option(tcp::no_delay(true), ec);
}

std::string Transport::peer_common_name() {
  if (!tls_) return "";
  SSL* ssl = tls_->native_handle();
  if (SSL_get_verify_result(ssl) != X509_V_OK) return "";
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return "";
  char cn[256] = {0};
  int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  X509_free(cert);
  return n > 0 ? std::string(cn, static_cast<size_t>(n)) : "";
}

bool Transport::expect_server(const std::string& name, bool check_name, std::string& why) {
  side_ = asio::ssl::stream_base::client;
  SSL* ssl = tls_->native_handle();
  error_code ec;
  asio::ip::make_address(name, ec);
  bool is_ip = !ec;
  // SSL_set_tlsext_host_name, without its macro's C cast.
  if (!is_ip && SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                         const_cast<char*>(name.c_str())) != 1) {
    why = "bad TLS server name '" + name + "'";
    return false;
  }
  if (!check_name) return true;
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  int ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str())
                 : X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size());
  if (ok != 1) {
    why = "bad TLS server name '" + name + "'";
    return false;
  }
  return true;
}

std::string Transport::verify_failure() {
  if (!tls_) return "";
  long result = SSL_get_verify_result(tls_->native_handle());
  if (result == X509_V_OK) return "";
  return X509_verify_cert_error_string(result);
}

void Transport::shutdown_receive() {
  error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_receive, ignored);
}

void Transport::reset_on_close() {
  error_code ignored;
  socket_.set_option(asio::socket_base::linger(true, 0), ignored);
}

void Transport::close() {
  error_code ignored;
  socket_.close(ignored);
}

}  // namespace preshard::net
