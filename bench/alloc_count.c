/* A counting allocator for bench/allocations.py, loaded into the proxy with LD_PRELOAD: every
 * malloc, calloc, realloc and aligned allocation of the process (C++'s operator new, hiredis,
 * OpenSSL, Asio's handlers all end in one of them) adds 1 to a counter that lives in the file
 * named by ALLOC_COUNT_FILE (8 bytes, mapped shared), so the script reads it from outside while
 * the proxy runs. Frees are not counted: the figure is heap allocations made.
 *
 *   cc -shared -fPIC -O2 -o alloc_count.so bench/alloc_count.c
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

extern void* __libc_malloc(size_t);
extern void* __libc_calloc(size_t, size_t);
extern void* __libc_realloc(void*, size_t);
extern void* __libc_memalign(size_t, size_t);
extern void __libc_free(void*);

static uint64_t fallback;              /* counts until the file is mapped */
static uint64_t* counter = &fallback;

__attribute__((constructor)) static void map_counter(void) {
  const char* path = getenv("ALLOC_COUNT_FILE");
  if (!path) return;
  int fd = open(path, O_RDWR);
  if (fd < 0) return;
  void* p = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (p != MAP_FAILED) counter = p;
}

static inline void count(void) { __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED); }

void* malloc(size_t n) {
  count();
  return __libc_malloc(n);
}
void* calloc(size_t n, size_t size) {
  count();
  return __libc_calloc(n, size);
}
void* realloc(void* p, size_t n) {
  count();
  return __libc_realloc(p, n);
}
void free(void* p) { __libc_free(p); }
void* memalign(size_t align, size_t n) {
  count();
  return __libc_memalign(align, n);
}
void* aligned_alloc(size_t align, size_t n) {
  count();
  return __libc_memalign(align, n);
}
int posix_memalign(void** out, size_t align, size_t n) {
  count();
  void* p = __libc_memalign(align, n);
  if (!p) return 12; /* ENOMEM */
  *out = p;
  return 0;
}
