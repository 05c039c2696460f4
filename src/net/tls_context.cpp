// The client side's TLS context, from the tls_* settings (Redis's meanings and defaults).
#include "preshard/net/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <sstream>

namespace preshard::net {

namespace ssl = boost::asio::ssl;

namespace {

// The most recent OpenSSL error, as text (the queue is cleared).
std::string openssl_error() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out = buf;
  }
  return out;
}

// "TLSv1.2 TLSv1.3" into the lowest and highest protocol versions; "" = both.
bool protocol_range(const std::string& text, int& lo, int& hi, std::string& why) {
  lo = TLS1_2_VERSION;
  hi = TLS1_3_VERSION;
  if (text.empty()) return true;
  lo = 0;
  hi = 0;
  std::istringstream in(text);
  for (std::string p; in >> p;) {
    int v = p == "TLSv1.2" ? TLS1_2_VERSION : p == "TLSv1.3" ? TLS1_3_VERSION : 0;
    if (v == 0) {
      why = "tls_protocols: unknown protocol '" + p + "' (TLSv1.2, TLSv1.3)";
      return false;
    }
    lo = lo == 0 ? v : std::min(lo, v);
    hi = std::max(hi, v);
  }
  return true;
}

}  // namespace

std::shared_ptr<ssl::context> make_server_tls(const config::Settings& s, std::string& why) {
  why.clear();
  if (s.tls_port == 0) return nullptr;
  if (s.tls_cert_file.empty() || s.tls_key_file.empty()) {
    why = "tls_port needs tls_cert_file and tls_key_file";
    return nullptr;
  }
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  int lo = 0, hi = 0;
  if (!protocol_range(s.tls_protocols, lo, hi, why)) return nullptr;
  SSL_CTX_set_min_proto_version(native, lo);
  SSL_CTX_set_max_proto_version(native, hi);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // Sessions are not resumed across reloads of the certificate: nothing is cached.
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  boost::system::error_code ec;
  std::string pass = s.tls_key_file_pass;
  ctx->set_password_callback([pass](std::size_t, ssl::context::password_purpose) { return pass; },
                             ec);
  auto step = [&](bool failed, const std::string& what) {
    if (failed && why.empty()) why = what + ": " + (ec ? ec.message() : openssl_error());
    return !failed;
  };
  ctx->use_certificate_chain_file(s.tls_cert_file, ec);
  if (!step(bool(ec), "tls_cert_file " + s.tls_cert_file)) return nullptr;
  ctx->use_private_key_file(s.tls_key_file, ssl::context::pem, ec);
  if (!step(bool(ec), "tls_key_file " + s.tls_key_file)) return nullptr;
  if (!step(SSL_CTX_check_private_key(native) != 1, "tls_key_file does not match tls_cert_file")) {
    return nullptr;
  }
  if (!s.tls_ca_cert_file.empty()) {
    ctx->load_verify_file(s.tls_ca_cert_file, ec);
    if (!step(bool(ec), "tls_ca_cert_file " + s.tls_ca_cert_file)) return nullptr;
  }
  if (!s.tls_ca_cert_dir.empty()) {
    ctx->add_verify_path(s.tls_ca_cert_dir, ec);
    if (!step(bool(ec), "tls_ca_cert_dir " + s.tls_ca_cert_dir)) return nullptr;
  }
  if (s.tls_auth_clients != "no" && s.tls_ca_cert_file.empty() && s.tls_ca_cert_dir.empty()) {
    why = "tls_auth_clients " + s.tls_auth_clients +
          " needs tls_ca_cert_file or tls_ca_cert_dir (or tls_auth_clients: no)";
    return nullptr;
  }
  int mode = ssl::verify_none;
  if (s.tls_auth_clients == "yes") mode = ssl::verify_peer | ssl::verify_fail_if_no_peer_cert;
  if (s.tls_auth_clients == "optional") mode = ssl::verify_peer;
  ctx->set_verify_mode(mode, ec);
  if (!s.tls_ciphers.empty() &&
      !step(SSL_CTX_set_cipher_list(native, s.tls_ciphers.c_str()) != 1, "tls_ciphers")) {
    return nullptr;
  }
  if (!s.tls_ciphersuites.empty() &&
      !step(SSL_CTX_set_ciphersuites(native, s.tls_ciphersuites.c_str()) != 1,
            "tls_ciphersuites")) {
    return nullptr;
  }
  return ctx;
}

}  // namespace preshard::net
