#include "preshard/router/sha1.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace preshard::router {

namespace {

// One digest context per thread, reused: EVP's per-call setup would otherwise dominate.
struct Sha1Context {
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Sha1Context() {
    if (md == nullptr || ctx == nullptr) throw std::runtime_error("OpenSSL: SHA1 is unavailable");
  }
  ~Sha1Context() {
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
  }
};

// The 20-byte digest into `digest`.
void sha1(std::string_view data, unsigned char* digest) {
  thread_local Sha1Context c;
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(c.ctx, c.md, nullptr) != 1 ||
      EVP_DigestUpdate(c.ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(c.ctx, digest, &len) != 1 || len != 20) {
    throw std::runtime_error("OpenSSL: SHA1 digest failed");
  }
}

}  // namespace

std::string sha1_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
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
  unsigned char digest[EVP_MAX_MD_SIZE];
  sha1(data, digest);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | digest[i];
  return v;
}

}  // namespace preshard::router
