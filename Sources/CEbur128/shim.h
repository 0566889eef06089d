// libebur128's header, and its functions loaded with dlopen on first use (`--loudness`, `--peak`,
// `info`), as FFmpeg's are (Sources/CFFmpeg/shim.h): linked normally, the library was mapped and
// relocated at every start, for a measurement most runs never make (issue 22).
#include <dlfcn.h>
#include <ebur128.h>

// Every libebur128 function audioprep calls.
#define CEBUR128_FUNCTIONS(X) \
  X(ebur128_init) X(ebur128_destroy) X(ebur128_set_channel) X(ebur128_add_frames_float) \
  X(ebur128_loudness_momentary) X(ebur128_loudness_window) X(ebur128_loudness_range)

/// The functions, as pointers filled in by `cebur128_load`.
typedef struct cebur128_api {
#define CEBUR128_FIELD(name) __typeof__(name) *name;
  CEBUR128_FUNCTIONS(CEBUR128_FIELD)
#undef CEBUR128_FIELD
} cebur128_api;

#define CEBUR128_STRING2(x) #x
#define CEBUR128_STRING(x) CEBUR128_STRING2(x)

/// Loads the library whose major version matches this header and fills `api`; returns NULL, or
/// what failed (dlerror's text, or the missing symbol's name).
static inline const char *cebur128_load(cebur128_api *api) {
  void *library = dlopen("libebur128.so." CEBUR128_STRING(EBUR128_VERSION_MAJOR), RTLD_LAZY | RTLD_LOCAL);
  if (!library) return dlerror();
#define CEBUR128_LOAD(name) \
  if (!(api->name = (__typeof__(name) *)dlsym(library, #name))) return #name;
  CEBUR128_FUNCTIONS(CEBUR128_LOAD)
#undef CEBUR128_LOAD
  return 0;
}
