/*
 * Runs the course MLP from a library exported by mlc (libmlp.so, libmlp.h):
 * plain C, no Python. Used by tests/unit/runtime/test_export.py.
 *
 *   run_mlp WEIGHTS INPUT OUTPUT [MODE]
 *
 * WEIGHTS is the weights file, or "-" for the one beside the library; INPUT
 * holds MLP_X_SIZE floats, OUTPUT receives MLP_OUT0_SIZE floats (raw,
 * native byte order). MODE checks that bad calls are refused before any
 * native code runs: "misaligned" (x off by 4 bytes), "null" (x is NULL),
 * "overlap" (the output inside x), "noinit" (mlp_run without mlp_init).
 * Exit status: 0 success, 1 usage or I/O error, 2 mlp_init failed, 3 mlp_run
 * failed (the library's message on stderr).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmlp.h"

static float *read_floats(const char *path, size_t count) {
  float *data = aligned_alloc(64, (count * sizeof(float) + 63) / 64 * 64);
  FILE *file = fopen(path, "rb");
  if (!data || !file || fread(data, sizeof(float), count, file) != count) {
    fprintf(stderr, "run_mlp: cannot read %zu floats from %s\n", count, path);
    exit(1);
  }
  fclose(file);
  return data;
}

int main(int argc, char **argv) {
  if (argc < 4 || argc > 5) {
    fprintf(stderr, "usage: run_mlp WEIGHTS INPUT OUTPUT [MODE]\n");
    return 1;
  }
  const char *mode = argc == 5 ? argv[4] : "";
  if (strcmp(mode, "noinit") != 0) {
    const char *weights = strcmp(argv[1], "-") == 0 ? NULL : argv[1];
    if (mlp_init(weights) != MLP_OK) {
      fprintf(stderr, "%s\n", mlp_error());
      return 2;
    }
  }
  float *x = read_floats(argv[2], MLP_X_SIZE);
  float *out = aligned_alloc(64, (MLP_OUT0_SIZE * sizeof(float) + 63) / 64 * 64);
  if (!out) return 1;
  const float *input = x;
  float *output = out;
  if (strcmp(mode, "misaligned") == 0) input = x + 1;
  if (strcmp(mode, "null") == 0) input = NULL;
  if (strcmp(mode, "overlap") == 0) output = x + 16;
  int code = mlp_run(input, output);
  if (code != MLP_OK) {
    fprintf(stderr, "%s (code %d)\n", mlp_error(), code);
    return 3;
  }
  FILE *file = fopen(argv[3], "wb");
  if (!file || fwrite(out, sizeof(float), MLP_OUT0_SIZE, file) != MLP_OUT0_SIZE) {
    fprintf(stderr, "run_mlp: cannot write %s\n", argv[3]);
    return 1;
  }
  fclose(file);
  mlp_free();
  free(x);
  free(out);
  return 0;
}
