#pragma once
// The TLS server context of the client side (tls_port), built from the settings: certificate,
// key, CA, client-certificate policy, protocols and ciphers. A reload builds a new one; new
// handshakes use it, connections already up keep theirs.
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "preshard/config/settings.hpp"

namespace preshard::net {

// Null with `why` set when a file is missing or unusable (or when tls_port is 0, with `why`
// empty).
std::shared_ptr<boost::asio::ssl::context> make_server_tls(const config::Settings& s,
                                                           std::string& why);

// The client context towards instances (tls_backends, an entry's tls:): CAs the instances'
// certificates must chain to, the certificate shown to them. Null when not `needed`; null with
// `why` set when a file is missing or unusable.
std::shared_ptr<boost::asio::ssl::context> make_backend_tls(const config::Settings& s, bool needed,
                                                            std::string& why);

}  // namespace preshard::net
