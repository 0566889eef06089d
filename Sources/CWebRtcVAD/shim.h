// WebRTC's voice-activity detector, from Debian's libwebrtc-audio-processing (0.3). The library
// exports the detector's C functions (`nm -D libwebrtc_audio_processing.so.1 | grep WebRtcVad_`)
// but the -dev package installs no header for them (its headers cover `webrtc::AudioProcessing`
// only), so the five functions audioprep calls are declared here, from the exported ABI: an
// opaque handle, and `int` results where 0 is success (Process: 1 speech, 0 not, -1 an error).
//
// The library is loaded with dlopen on first use (`--utterances`, `--denoise`, `--agc` and the
// other speech options), as libsoxr's and FFmpeg's are (Sources/CSoxr/shim.h): linked normally,
// it was mapped at every start and its 1,161 symbol relocations resolved, a third of the dynamic
// loader's lookups, for processing most runs never ask for (issue 22).
#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>

typedef struct WebRtcVadInst VadInst;

/// A new detector (malloc'ed), or NULL; free it with `WebRtcVad_Free`.
VadInst *WebRtcVad_Create(void);
void WebRtcVad_Free(VadInst *handle);
/// Clears the state and sets the default mode (0); 0 or -1.
int WebRtcVad_Init(VadInst *handle);
/// Aggressiveness 0 (quality) … 3 (very aggressive); 0 or -1.
int WebRtcVad_set_mode(VadInst *handle, int mode);
/// One frame of 10, 20 or 30 ms at 8, 16, 32 or 48 kHz: 1 speech, 0 not, -1 an error.
int WebRtcVad_Process(VadInst *handle, int fs, const int16_t *audio_frame, size_t frame_length);

/// The library's soname (Debian's libwebrtc-audio-processing1, the 0.3 API); the header names
/// no version.
#define CWEBRTC_LIBRARY "libwebrtc_audio_processing.so.1"

// Every detector function audioprep calls.
#define CWEBRTCVAD_FUNCTIONS(X) \
  X(WebRtcVad_Create) X(WebRtcVad_Free) X(WebRtcVad_Init) X(WebRtcVad_set_mode) X(WebRtcVad_Process)

/// The functions, as pointers filled in by `cwebrtcvad_load`.
typedef struct cwebrtcvad_api {
#define CWEBRTCVAD_FIELD(name) __typeof__(name) *name;
  CWEBRTCVAD_FUNCTIONS(CWEBRTCVAD_FIELD)
#undef CWEBRTCVAD_FIELD
} cwebrtcvad_api;

/// Loads the library and fills `api`; returns NULL, or what failed (dlerror's text, or the
/// missing symbol's name).
static inline const char *cwebrtcvad_load(cwebrtcvad_api *api) {
  void *library = dlopen(CWEBRTC_LIBRARY, RTLD_LAZY | RTLD_LOCAL);
  if (!library) return dlerror();
#define CWEBRTCVAD_LOAD(name) \
  if (!(api->name = (__typeof__(name) *)dlsym(library, #name))) return #name;
  CWEBRTCVAD_FUNCTIONS(CWEBRTCVAD_LOAD)
#undef CWEBRTCVAD_LOAD
  return 0;
}
