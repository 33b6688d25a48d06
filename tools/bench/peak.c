/* The machine's limits the benchmark compares against, measured.
 *
 *   peak fma THREADS   f32 multiply-adds a second on THREADS OpenMP threads
 *                      (GFLOP/s): 12 independent accumulators of the widest
 *                      vector the compile targets (-march=native), in
 *                      registers, so that only the FMA units limit it
 *   peak fork THREADS  the cost of one OpenMP parallel loop of THREADS
 *                      trivial iterations on THREADS threads, fork and
 *                      join (microseconds)
 *
 * Each prints the best of five repetitions (interference only slows a
 * measurement down). tools/bench/peak.py builds and runs it. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef __AVX512F__
#define VECTOR_BYTES 64
#else
#define VECTOR_BYTES 32
#endif
#define ACCUMULATORS 12

typedef float vf __attribute__((vector_size(VECTOR_BYTES)));

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static float fmaLoop(long iterations) {
  vf acc[ACCUMULATORS], x, y;
  for (int i = 0; i < ACCUMULATORS; ++i)
    acc[i] = (vf){} + (float)i;
  x = (vf){} + 1.0000001f;
  y = (vf){} + 1e-7f;
  for (long n = 0; n < iterations; ++n) {
    /* Opaque to the optimizer: the loop is not folded or shortened. */
    __asm__ volatile("" : "+v"(x), "+v"(y));
#pragma unroll
    for (int i = 0; i < ACCUMULATORS; ++i)
      acc[i] = acc[i] * x + y;
  }
  vf sum = acc[0];
  for (int i = 1; i < ACCUMULATORS; ++i)
    sum += acc[i];
  return sum[0];
}

volatile float sink;

int main(int argc, char **argv) {
  if (argc != 3 || (strcmp(argv[1], "fma") && strcmp(argv[1], "fork"))) {
    fprintf(stderr, "usage: peak fma|fork THREADS\n");
    return 2;
  }
  int threads = atoi(argv[2]);
  if (threads < 1) {
    fprintf(stderr, "peak: THREADS must be at least 1\n");
    return 2;
  }
  double best = -1;
  for (int rep = 0; rep < 5; ++rep) {
    if (!strcmp(argv[1], "fma")) {
      const long iterations = 20000000;
      double start = now();
#pragma omp parallel num_threads(threads)
      sink = fmaLoop(iterations);
      double flops =
          2.0 * ACCUMULATORS * (VECTOR_BYTES / 4) * iterations * threads;
      double gflops = flops / (now() - start) / 1e9;
      if (gflops > best)
        best = gflops;
    } else {
      const int regions = 20000;
      double start = now();
      for (int r = 0; r < regions; ++r) {
#pragma omp parallel for num_threads(threads) schedule(static)
        for (int i = 0; i < threads; ++i)
          sink = (float)i;
      }
      double us = (now() - start) / regions * 1e6;
      if (best < 0 || us < best)
        best = us;
    }
  }
  printf("%.3f\n", best);
  return 0;
}
