#include "preshard/router/sha1.hpp"

// SHA1's own functions, not EVP: OpenSSL 3.0's EVP allocates a provider context on every
// digest (one heap allocation per routed key) and costs twice the time for a short key. They are
// marked deprecated in 3.0 but stay in every 3.x release; nothing here needs a provider.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

namespace preshard::router {

namespace {

constexpr int kDigestBytes = SHA_DIGEST_LENGTH;  // 20

// The 20-byte digest into `digest`. (The one-shot SHA1() goes through EVP in 3.0 and allocates.)
void sha1(std::string_view data, unsigned char* digest) {
  SHA_CTX c;
  SHA1_Init(&c);
  SHA1_Update(&c, data.data(), data.size());
  SHA1_Final(digest, &c);
}

}  // namespace

std::string sha1_hex(std::string_view data) {
  unsigned char digest[kDigestBytes];
  sha1(data, digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(40, '0');
  for (int i = 0; i < 20; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
  return out;
}

uint64_t sha1_prefix64(std::string_view data) {
  unsigned char digest[kDigestBytes];
  sha1(data, digest);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | digest[i];
  return v;
}

}  // namespace preshard::router
