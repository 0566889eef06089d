// libsoxr's header, and its functions loaded with dlopen on first use (`--resampler soxr`,
// `--version`), as FFmpeg's are (Sources/CFFmpeg/shim.h): linked normally, libsoxr and the
// libgomp it needs were mapped and relocated at every start, for an engine a run uses only when
// asked (issue 22).
#include <dlfcn.h>
#include <soxr.h>

// Every libsoxr function audioprep calls.
#define CSOXR_FUNCTIONS(X) \
  X(soxr_version) X(soxr_create) X(soxr_delete) X(soxr_process) X(soxr_clear) X(soxr_io_spec) \
  X(soxr_quality_spec) X(soxr_runtime_spec)

/// The functions, as pointers filled in by `csoxr_load`.
typedef struct csoxr_api {
#define CSOXR_FIELD(name) __typeof__(name) *name;
  CSOXR_FUNCTIONS(CSOXR_FIELD)
#undef CSOXR_FIELD
} csoxr_api;

/// Loads libsoxr (its ABI has been major version 0 since 0.1.0; the header names no soname) and
/// fills `api`; returns NULL, or what failed (dlerror's text, or the missing symbol's name).
static inline const char *csoxr_load(csoxr_api *api) {
  void *library = dlopen("libsoxr.so.0", RTLD_LAZY | RTLD_LOCAL);
  if (!library) return dlerror();
#define CSOXR_LOAD(name) \
  if (!(api->name = (__typeof__(name) *)dlsym(library, #name))) return #name;
  CSOXR_FUNCTIONS(CSOXR_LOAD)
#undef CSOXR_LOAD
  return 0;
}
