// WebRTC's voice-activity detector, from Debian's libwebrtc-audio-processing (0.3). The library
// exports the detector's C functions (`nm -D libwebrtc_audio_processing.so.1 | grep WebRtcVad_`)
// but the -dev package installs no header for them (its headers cover `webrtc::AudioProcessing`
// only), so the five functions audioprep calls are declared here, from the exported ABI: an
// opaque handle, and `int` results where 0 is success (Process: 1 speech, 0 not, -1 an error).
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
