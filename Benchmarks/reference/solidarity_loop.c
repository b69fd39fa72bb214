/* The solidarity phase's loop (Sources/TransitionModel/SolidarityPhase.swift), hand-written in C
   on the same thread pool (libdispatch, chunks of 16,384 persons handed out by an atomic
   counter): what this host gives such a loop on one and on two threads. Persons are laid out
   by workplace, as the model sets them up; one in seven is a coordinator.

   clang -O3 -fblocks -I/opt/swift/usr/lib/swift solidarity_loop.c -o solidarity_loop \
     -L/opt/swift/usr/lib/swift/linux -ldispatch -lBlocksRuntime -Wl,-rpath,/opt/swift/usr/lib/swift/linux
   ./solidarity_loop PERSONS MONTHS THREADS          e.g. ./solidarity_loop 1000000 240 2 */
#include <dispatch/dispatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { chunk_size = 16384, active = 4, owner = 2, coordinator = 1 };
static long n, chunks, next_chunk;
static uint8_t *flags, *classes;
static int32_t *work, *home;
static float *solidarity, *initial, *at_work, *at_home;
static int64_t *sums;
static const float rise = 0.05f, back = 0.02f;

static void run_chunk(long c) {
  long a = c * chunk_size, b = a + chunk_size < n ? a + chunk_size : n;
  int64_t sum = 0;
  for (long i = a; i < b; i++) {
    if (!(flags[i] & active) || classes[i] == owner) continue;
    float e = at_work[work[i]] + at_home[home[i]];
    e = e < 1 ? e : 1;
    float x = solidarity[i], y = x + rise * e * (1 - x) + back * (1 - e) * (initial[i] - x);
    solidarity[i] = y;
    if (classes[i] == coordinator) sum += (int64_t)((double)y * 1048576.0);
  }
  sums[c] = sum;
}

static void worker(void *context, size_t w) {
  (void)context; (void)w;
  for (;;) {
    long c = __atomic_fetch_add(&next_chunk, 1, __ATOMIC_RELAXED);
    if (c >= chunks) return;
    run_chunk(c);
  }
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: %s PERSONS MONTHS THREADS\n", argv[0]); return 64; }
  n = atol(argv[1]);
  int months = atoi(argv[2]), threads = atoi(argv[3]);
  long workplaces = n / 10 + 1, homes = n / 200 + 1;
  chunks = (n + chunk_size - 1) / chunk_size;
  flags = malloc(n); classes = malloc(n); work = malloc(4 * n); home = malloc(4 * n);
  solidarity = malloc(4 * n); initial = malloc(4 * n);
  at_work = malloc(4 * workplaces); at_home = malloc(4 * homes); sums = malloc(8 * chunks);
  unsigned s = 1;
  for (long i = 0; i < n; i++) {
    s = s * 1103515245u + 12345u;
    flags[i] = active; classes[i] = (s >> 16) % 7 == 0 ? coordinator : 0;
    work[i] = (int32_t)(i / 10); home[i] = (int32_t)(i / 200);
    solidarity[i] = initial[i] = (float)((s >> 4) % 1000) / 1000;
  }
  for (long w = 0; w < workplaces; w++) at_work[w] = w % 3 == 0;
  for (long h = 0; h < homes; h++) at_home[h] = 0.25f;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int m = 0; m < months; m++) {
    next_chunk = 0;
    if (threads <= 1) worker(NULL, 0);
    else dispatch_apply_f(threads, dispatch_get_global_queue(0, 0), NULL, worker);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double seconds = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
  int64_t total = 0;
  for (long c = 0; c < chunks; c++) total += sums[c];
  printf("solidarity loop in C: %ld persons, %d months, %d threads: %.3f s (%.2f ns a person-month), check %lld\n",
         n, months, threads, seconds, seconds * 1e9 / ((double)n * months), (long long)(total % 1000));
  return 0;
}
