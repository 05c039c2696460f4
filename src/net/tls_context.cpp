// The TLS contexts, from the tls_* settings (Redis's meanings and defaults): the server one of
// the client side (tls_port) and the client one towards the instances (tls_backends).
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

// Why a step failed: asio's error (which took OpenSSL's), else OpenSSL's queue.
std::string reason(const boost::system::error_code& ec) {
  return ec ? ec.message() : openssl_error();
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

// What both sides share: protocols and ciphers (tls_protocols, tls_ciphers, tls_ciphersuites),
// no compression, no session cache (a reload's files serve the next handshake).
bool common_setup(ssl::context& ctx, const config::Settings& s, std::string& why) {
  SSL_CTX* native = ctx.native_handle();
  int lo = 0, hi = 0;
  if (!protocol_range(s.tls_protocols, lo, hi, why)) return false;
  SSL_CTX_set_min_proto_version(native, lo);
  SSL_CTX_set_max_proto_version(native, hi);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  if (!s.tls_ciphers.empty() && SSL_CTX_set_cipher_list(native, s.tls_ciphers.c_str()) != 1) {
    why = "tls_ciphers: " + openssl_error();
    return false;
  }
  if (!s.tls_ciphersuites.empty() &&
      SSL_CTX_set_ciphersuites(native, s.tls_ciphersuites.c_str()) != 1) {
    why = "tls_ciphersuites: " + openssl_error();
    return false;
  }
  return true;
}

// A certificate chain and its key; `what` names the settings in errors ("tls" or "tls_client").
bool use_identity(ssl::context& ctx, const std::string& cert, const std::string& key,
                  const std::string& pass, const std::string& what, std::string& why) {
  boost::system::error_code ec;
  ctx.set_password_callback([pass](std::size_t, ssl::context::password_purpose) { return pass; },
                            ec);
  ctx.use_certificate_chain_file(cert, ec);
  if (ec) {
    why = what + "_cert_file " + cert + ": " + reason(ec);
    return false;
  }
  ctx.use_private_key_file(key, ssl::context::pem, ec);
  if (ec) {
    why = what + "_key_file " + key + ": " + reason(ec);
    return false;
  }
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1) {
    why = what + "_key_file does not match " + what + "_cert_file";
    return false;
  }
  return true;
}

// CA certificates from a file and/or a directory (`what`: the settings' prefix).
bool use_cas(ssl::context& ctx, const std::string& file, const std::string& dir,
             const std::string& what, std::string& why) {
  boost::system::error_code ec;
  if (!file.empty()) {
    ctx.load_verify_file(file, ec);
    if (ec) {
      why = what + "_ca_cert_file " + file + ": " + reason(ec);
      return false;
    }
  }
  if (!dir.empty()) {
    ctx.add_verify_path(dir, ec);
    if (ec) {
      why = what + "_ca_cert_dir " + dir + ": " + reason(ec);
      return false;
    }
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
  if (!common_setup(*ctx, s, why) ||
      !use_identity(*ctx, s.tls_cert_file, s.tls_key_file, s.tls_key_file_pass, "tls", why) ||
      !use_cas(*ctx, s.tls_ca_cert_file, s.tls_ca_cert_dir, "tls", why)) {
    return nullptr;
  }
  if (s.tls_auth_clients != "no" && s.tls_ca_cert_file.empty() && s.tls_ca_cert_dir.empty()) {
    why = "tls_auth_clients " + s.tls_auth_clients +
          " needs tls_ca_cert_file or tls_ca_cert_dir (or tls_auth_clients: no)";
    return nullptr;
  }
  int mode = ssl::verify_none;
  if (s.tls_auth_clients == "yes") mode = ssl::verify_peer | ssl::verify_fail_if_no_peer_cert;
  if (s.tls_auth_clients == "optional") mode = ssl::verify_peer;
  boost::system::error_code ec;
  ctx->set_verify_mode(mode, ec);
  return ctx;
}

std::shared_ptr<ssl::context> make_backend_tls(const config::Settings& s, bool needed,
                                               std::string& why) {
  why.clear();
  if (!needed) return nullptr;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  if (!common_setup(*ctx, s, why)) return nullptr;
  // Redis's rule: without a client certificate of its own, the server one is shown.
  bool own = !s.tls_client_cert_file.empty() || !s.tls_client_key_file.empty();
  const std::string& cert = own ? s.tls_client_cert_file : s.tls_cert_file;
  const std::string& key = own ? s.tls_client_key_file : s.tls_key_file;
  const std::string& pass = own ? s.tls_client_key_file_pass : s.tls_key_file_pass;
  if (own && (cert.empty() || key.empty())) {
    why = "tls_client_cert_file and tls_client_key_file go together";
    return nullptr;
  }
  if (!cert.empty() && !use_identity(*ctx, cert, key, pass, own ? "tls_client" : "tls", why)) {
    return nullptr;
  }
  bool own_cas = !s.tls_backends_ca_cert_file.empty() || !s.tls_backends_ca_cert_dir.empty();
  bool any_cas = own_cas || !s.tls_ca_cert_file.empty() || !s.tls_ca_cert_dir.empty();
  if (own_cas) {
    if (!use_cas(*ctx, s.tls_backends_ca_cert_file, s.tls_backends_ca_cert_dir, "tls_backends",
                 why)) {
      return nullptr;
    }
  } else if (any_cas) {
    if (!use_cas(*ctx, s.tls_ca_cert_file, s.tls_ca_cert_dir, "tls", why)) return nullptr;
  } else {
    boost::system::error_code ec;
    ctx->set_default_verify_paths(ec);
  }
  boost::system::error_code ec;
  ctx->set_verify_mode(ssl::verify_peer, ec);  // an instance always proves who it is
  return ctx;
}

}  // namespace preshard::net
