/*===- run_model.c - call an AOT-compiled model from C ------------*- C -*-===*\
|*                                                                            *|
|* Part of the infer-mlir project.                                            *|
|* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception                    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/* Build against the header that infer-compile generated, for a model whose
 * `main` takes one f32 tensor and returns one f32 tensor:
 *
 *   clang run_model.c -I OUT -include OUT/NAME.h \
 *     -DINPUT_T=infer_memref_f32_4d -DOUTPUT_T=infer_memref_f32_2d \
 *     -L OUT -lNAME -Wl,-rpath,OUT -o run_NAME
 *   run_NAME input.npy output.npy [repeats]
 *
 * It reads a float32 .npy, calls _mlir_ciface_main, writes the result as .npy
 * and prints the median time per call as median_ms=<number>. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RANK_OF(T) ((int)(sizeof(((T *)0)->sizes) / sizeof(int64_t)))

static void die(const char *message, const char *detail) {
  fprintf(stderr, "run_model: error: %s%s\n", message, detail ? detail : "");
  exit(1);
}

/* Reads a C-order float32 .npy of `rank` dimensions into *data and sizes. */
static void read_npy(const char *path, int rank, int64_t *sizes, float **data) {
  FILE *f = fopen(path, "rb");
  if (!f)
    die("cannot open ", path);
  unsigned char preamble[10];
  if (fread(preamble, 1, 10, f) != 10 || memcmp(preamble, "\x93NUMPY", 6))
    die("not a .npy file: ", path);
  size_t header_len = preamble[8] | (preamble[9] << 8);
  char *header = calloc(header_len + 1, 1);
  if (fread(header, 1, header_len, f) != header_len)
    die("truncated .npy header: ", path);
  if (!strstr(header, "'<f4'") || !strstr(header, "'fortran_order': False"))
    die("expected a C-order float32 array: ", path);
  const char *p = strchr(strstr(header, "'shape'"), '(') + 1;
  int64_t count = 1;
  for (int d = 0; d < rank; ++d) {
    char *end;
    sizes[d] = strtoll(p, &end, 10);
    if (end == p)
      die("the input rank does not match the model: ", path);
    count *= sizes[d];
    p = end + 1;
  }
  free(header);
  *data = malloc(count * sizeof(float));
  if (fread(*data, sizeof(float), count, f) != (size_t)count)
    die("truncated .npy data: ", path);
  fclose(f);
}

static void write_npy(const char *path, int rank, const int64_t *sizes,
                      const float *data) {
  char dict[256], shape[128] = "";
  for (int d = 0; d < rank; ++d) {
    char dim[32];
    snprintf(dim, sizeof dim, d ? ", %lld" : "%lld", (long long)sizes[d]);
    strcat(shape, dim);
  }
  if (rank == 1)
    strcat(shape, ",");
  int n = snprintf(dict, sizeof dict,
                   "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }",
                   shape);
  int padded = ((10 + n + 1 + 63) / 64) * 64 - 10;
  FILE *f = fopen(path, "wb");
  if (!f)
    die("cannot write ", path);
  unsigned char preamble[10] = {0x93, 'N', 'U', 'M',           'P',
                                'Y',  1,   0,   padded & 0xff, padded >> 8};
  fwrite(preamble, 1, 10, f);
  fwrite(dict, 1, n, f);
  for (int i = n; i < padded - 1; ++i)
    fputc(' ', f);
  fputc('\n', f);
  int64_t count = 1;
  for (int d = 0; d < rank; ++d)
    count *= sizes[d];
  fwrite(data, sizeof(float), count, f);
  fclose(f);
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 3)
    die("usage: run_model input.npy output.npy [repeats]", NULL);
  int repeats = argc > 3 ? atoi(argv[3]) : 1;
  if (repeats < 1)
    repeats = 1;

  INPUT_T input;
  float *data;
  read_npy(argv[1], RANK_OF(INPUT_T), input.sizes, &data);
  input.allocated = input.aligned = data;
  input.offset = 0;
  int64_t stride = 1;
  for (int d = RANK_OF(INPUT_T) - 1; d >= 0; --d) {
    input.strides[d] = stride;
    stride *= input.sizes[d];
  }

  OUTPUT_T output;
  double *times = malloc(repeats * sizeof(double));
  for (int i = 0; i < repeats; ++i) {
    struct timespec start, stop;
    clock_gettime(CLOCK_MONOTONIC, &start);
    _mlir_ciface_main(&output, &input);
    clock_gettime(CLOCK_MONOTONIC, &stop);
    times[i] = (stop.tv_sec - start.tv_sec) * 1e3 +
               (stop.tv_nsec - start.tv_nsec) * 1e-6;
    if (i + 1 < repeats)
      free(output.allocated);
  }
  qsort(times, repeats, sizeof(double), compare_doubles);
  double median = repeats % 2
                      ? times[repeats / 2]
                      : (times[repeats / 2 - 1] + times[repeats / 2]) / 2;

  /* Gather the (possibly strided) result densely. */
  int rank = RANK_OF(OUTPUT_T);
  int64_t count = 1;
  for (int d = 0; d < rank; ++d)
    count *= output.sizes[d];
  float *dense = malloc(count * sizeof(float));
  for (int64_t i = 0; i < count; ++i) {
    int64_t rest = i, offset = output.offset;
    for (int d = rank - 1; d >= 0; --d) {
      offset += (rest % output.sizes[d]) * output.strides[d];
      rest /= output.sizes[d];
    }
    dense[i] = output.aligned[offset];
  }
  write_npy(argv[2], rank, output.sizes, dense);
  printf("output shape [");
  for (int d = 0; d < rank; ++d)
    printf(d ? ", %lld" : "%lld", (long long)output.sizes[d]);
  printf("], first values");
  for (int64_t i = 0; i < count && i < 6; ++i)
    printf(" %.6g", dense[i]);
  printf("\nmedian_ms=%.6f\n", median);
  free(output.allocated);
  free(dense);
  free(data);
  free(times);
  return 0;
}
