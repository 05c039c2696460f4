// LD_PRELOAD shim for the DNS tests: names under .slow.test resolve to 127.0.0.1 after
// SLOW_DNS_MS milliseconds; names under .never.test take 60 s and then fail; others resolve as
// usual.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int ends_with(const char* s, const char* suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&t, &t) != 0) {
  }
}

int getaddrinfo(const char* node, const char* service, const struct addrinfo* hints,
                struct addrinfo** res) {
  typedef int (*real_t)(const char*, const char*, const struct addrinfo*, struct addrinfo**);
  real_t real = (real_t)dlsym(RTLD_NEXT, "getaddrinfo");
  if (node != NULL && ends_with(node, ".slow.test")) {
    const char* ms = getenv("SLOW_DNS_MS");
    sleep_ms(ms ? atol(ms) : 3000);
    return real("127.0.0.1", service, hints, res);
  }
  if (node != NULL && ends_with(node, ".never.test")) {
    sleep_ms(60000);
    return EAI_NONAME;
  }
  return real(node, service, hints, res);
}
