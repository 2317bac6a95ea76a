/*
 * The entry points of a shared library exported by mlc: NAME_init, NAME_run,
 * NAME_free, NAME_error around the model's compiled entry.
 *
 * This file is the same for every model. `mlc.runtime.export` generates the
 * model's part beside it and compiles the three together:
 *
 *   mlc_model.h  includes the public header libNAME.h and defines the
 *                macros below (INIT, FREE, ERROR: the exported names;
 *                NUM_PARAMS, NO_PARAMS, WEIGHTS_NAME, WEIGHTS_SIZE,
 *                WEIGHTS_CRC32, INIT_NAME, RUN_NAME; the return codes OK,
 *                ERR_*), the table `params` of the parameters the weights
 *                file must hold, `param_data`, and the native entry's
 *                declaration;
 *   mlc_run.inc  NAME_run: pointer checks, then the native call.
 *
 * The weights file (format: mlc/runtime/weights.py) is checked before any
 * of it is used: a regular file (a FIFO or a directory cannot hang or fool
 * the loader), no larger than the one exported with the library (nothing
 * larger is allocated), a well-formed table naming exactly the model's
 * parameters, with the model's dtypes and shapes, each block inside the file
 * and after the table; and, last, the size and CRC-32 recorded at export, so
 * a library never runs with another export's weights. A failed NAME_init
 * keeps the weights loaded before.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mlc_model.h"

static _Thread_local char error_text[512];
static unsigned char *weights_blob;
static int initialized = NO_PARAMS;

static int fail(int code, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(int code, const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(error_text, sizeof error_text, format, args);
  va_end(args);
  return code;
}

/* A weight W[rows][cols] (its dimension n_dim is the GEMM's n, the other k)
   packed as the model's GEMM reads it (pack-weights, docs/gemm.md):
   out[p][k][j] = W(n = p*nr + j, k), zero past n. NAME_run calls it for an
   input the model stores packed and the weights file does not provide. */
static __attribute__((unused)) void mlc_pack_weight(const float *w, float *out,
                                                    uint64_t rows, uint64_t cols,
                                                    uint64_t nr, int n_dim) {
  uint64_t n = n_dim ? cols : rows, k = n_dim ? rows : cols;
  uint64_t panels = (n + nr - 1) / nr;
  for (uint64_t p = 0; p < panels; p++)
    for (uint64_t kk = 0; kk < k; kk++)
      for (uint64_t j = 0; j < nr; j++) {
        uint64_t col = p * nr + j;
        float value = 0.0f;
        if (col < n)
          value = n_dim ? w[kk * cols + col] : w[col * cols + kk];
        out[(p * k + kk) * nr + j] = value;
      }
}

static uint32_t read_u32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

static uint64_t read_u64(const unsigned char *p) {
  return (uint64_t)read_u32(p) | (uint64_t)read_u32(p + 4) << 32;
}

/* CRC-32 (the polynomial of zlib and PNG), as Python's zlib.crc32. */
static uint32_t crc32_of(const unsigned char *data, uint64_t size) {
  static uint32_t table[256];
  if (!table[1])
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[n] = c;
    }
  uint32_t crc = 0xFFFFFFFFu;
  for (uint64_t i = 0; i < size; ++i)
    crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

/* The file's bytes in a 64-byte-aligned buffer (its size in *size). */
static unsigned char *read_file(const char *path, uint64_t *size, int *code) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    *code = fail(ERR_WEIGHTS, "%s: cannot open weights file: %s", path,
                 strerror(errno));
    return NULL;
  }
  struct stat info;
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    close(fd);
    *code = fail(ERR_WEIGHTS, "%s: not a weights file (not a regular file)",
                 path);
    return NULL;
  }
  uint64_t end = (uint64_t)info.st_size;
  if (end > WEIGHTS_SIZE) {
    close(fd);
    *code = fail(ERR_WEIGHTS,
                 "%s: not this library's weights file (%llu bytes, expected "
                 "%llu)",
                 path, (unsigned long long)end,
                 (unsigned long long)WEIGHTS_SIZE);
    return NULL;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  size_t rounded = (size_t)((end + 63) / 64 * 64);
  unsigned char *data = aligned_alloc(64, rounded ? rounded : 64);
  if (!data) {
    close(fd);
    *code = fail(ERR_MEMORY, "%s: out of memory reading the weights file "
                 "(%llu bytes)", path, (unsigned long long)end);
    return NULL;
  }
  uint64_t got = 0;
  while (got < end) {
    ssize_t n = read(fd, data + got, (size_t)(end - got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += (uint64_t)n;
  }
  close(fd);
  if (got != end) {
    free(data);
    *code = fail(ERR_WEIGHTS, "%s: cannot read weights file", path);
    return NULL;
  }
  *size = end;
  return data;
}

/* Whether the `length` bytes at `name` are printable ASCII (safe to show). */
static int printable(const char *name, uint64_t length) {
  if (length == 0 || length > 64) return 0;
  for (uint64_t i = 0; i < length; ++i)
    if (name[i] < 0x20 || name[i] > 0x7E) return 0;
  return 1;
}

/* The parameter named by these bytes, or -1. */
static int find_param(const char *name, uint64_t length) {
  for (int i = 0; i < NUM_PARAMS; ++i)
    if (strlen(params[i].name) == length &&
        memcmp(params[i].name, name, length) == 0)
      return i;
  return -1;
}

/* Point found[i] at each parameter's data in blob, checking everything. */
static int bind_params(const char *path, const unsigned char *blob,
                       uint64_t size, void **found) {
  if (size < 16 || memcmp(blob, "MLCW", 4) != 0)
    return fail(ERR_WEIGHTS, "%s: not an mlc weights file (bad magic)", path);
  if (read_u32(blob + 4) != 1)
    return fail(ERR_WEIGHTS, "%s: unsupported weights file version %u", path,
                (unsigned)read_u32(blob + 4));
  uint32_t count = read_u32(blob + 8);
  uint64_t pos = 16;
  uint64_t offsets[NUM_PARAMS + 1] = {0};
  for (uint32_t e = 0; e < count; ++e) {
    if (size - pos < 4) goto truncated;
    uint64_t name_len = read_u32(blob + pos);
    pos += 4;
    if (size - pos < name_len + 8) goto truncated;
    const char *name = (const char *)blob + pos;
    pos += name_len;
    uint32_t dtype = read_u32(blob + pos), rank = read_u32(blob + pos + 4);
    pos += 8;
    if (rank > 32 || size - pos < 8 * (uint64_t)rank + 16) goto truncated;
    const unsigned char *dims = blob + pos;
    pos += 8 * (uint64_t)rank;
    uint64_t offset = read_u64(blob + pos), nbytes = read_u64(blob + pos + 8);
    pos += 16;
    int i = find_param(name, name_len);
    if (i < 0) {
      if (printable(name, name_len))
        return fail(ERR_WEIGHTS,
                    "%s: tensor '%.*s' is not a parameter of this model", path,
                    (int)name_len, name);
      return fail(ERR_WEIGHTS, "%s: tensor #%u is not a parameter of this model",
                  path, (unsigned)e);
    }
    const struct param *param = &params[i];
    if (found[i])
      return fail(ERR_WEIGHTS, "%s: parameter '%s' appears twice", path,
                  param->name);
    int same = dtype == param->dtype && rank == param->rank;
    for (uint32_t d = 0; same && d < rank; ++d)
      same = read_u64(dims + 8 * d) == param->dims[d];
    if (!same)
      return fail(ERR_WEIGHTS,
                  "%s: parameter '%s' is not %s as the model expects", path,
                  param->name, param->description);
    if (nbytes != param->nbytes || offset % 64 != 0 || offset > size ||
        size - offset < nbytes)
      return fail(ERR_WEIGHTS, "%s: parameter '%s': bad data offset or size",
                  path, param->name);
    found[i] = (void *)(blob + offset);
    offsets[i] = offset;
  }
  for (int i = 0; i < NUM_PARAMS; ++i) {
    if (!found[i])
      return fail(ERR_WEIGHTS, "%s: parameter '%s' is missing", path,
                  params[i].name);
    if (offsets[i] < pos)
      return fail(ERR_WEIGHTS,
                  "%s: parameter '%s': data offset %llu lies inside the header",
                  path, params[i].name, (unsigned long long)offsets[i]);
  }
  if (size != WEIGHTS_SIZE || crc32_of(blob, size) != WEIGHTS_CRC32)
    return fail(ERR_WEIGHTS,
                "%s: not the weights file exported with this library "
                "(size or checksum differs; export the model again)",
                path);
  return OK;
truncated:
  return fail(ERR_WEIGHTS, "%s: invalid weights file: truncated table", path);
}

/* WEIGHTS_NAME in the directory of this library, or NULL. */
static char *default_weights_path(void) {
  Dl_info info;
  if (!dladdr((void *)&initialized, &info) || !info.dli_fname) return NULL;
  const char *slash = strrchr(info.dli_fname, '/');
  size_t dir = slash ? (size_t)(slash - info.dli_fname) + 1 : 0;
  char *path = malloc(dir + sizeof WEIGHTS_NAME);
  if (!path) return NULL;
  memcpy(path, info.dli_fname, dir);
  memcpy(path + dir, WEIGHTS_NAME, sizeof WEIGHTS_NAME);
  return path;
}

static int check_pointer(const void *pointer, const char *name) {
  if (!pointer)
    return fail(ERR_ARGUMENT, RUN_NAME ": argument '%s' is NULL", name);
  if ((uintptr_t)pointer % 64 != 0)
    return fail(ERR_ARGUMENT, RUN_NAME ": argument '%s' is not 64-byte aligned",
                name);
  return OK;
}

static int overlap(const void *a, size_t a_size, const void *b,
                   size_t b_size) {
  uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
  return a_size && b_size && x < y + b_size && y < x + a_size;
}

int INIT(const char *weights_path) {
  if (NUM_PARAMS == 0 && !weights_path) {
    initialized = 1;
    return OK;
  }
  char *default_path = NULL;
  if (!weights_path) {
    weights_path = default_path = default_weights_path();
    if (!weights_path)
      return fail(ERR_WEIGHTS, INIT_NAME ": cannot locate " WEIGHTS_NAME
                               " beside the library; pass its path");
  }
  uint64_t size = 0;
  int code = OK;
  unsigned char *blob = read_file(weights_path, &size, &code);
  if (blob) {
    void *found[NUM_PARAMS + 1] = {0};
    code = bind_params(weights_path, blob, size, found);
    if (code == OK) {
      /* Only now let go of what was loaded before. */
      free(weights_blob);
      for (int i = 0; i < NUM_PARAMS; ++i) param_data[i] = found[i];
      weights_blob = blob;
      initialized = 1;
    } else {
      free(blob);
    }
  }
  free(default_path);
  return code;
}

void FREE(void) {
  free(weights_blob);
  weights_blob = NULL;
  for (int i = 0; i < NUM_PARAMS; ++i) param_data[i] = NULL;
  initialized = NO_PARAMS;
}

const char *ERROR(void) { return error_text; }

#include "mlc_run.inc"
