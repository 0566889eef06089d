// WebRTC's audio processing module (Debian's libwebrtc-audio-processing, the 0.3 API: a C++
// `webrtc::AudioProcessing` with NoiseSuppression and GainControl submodules), behind a C API
// Swift can call: noise suppression and automatic gain control over 10 ms frames of float
// samples in [-1, 1], one buffer per channel, processed in place.
#ifndef AUDIOPREP_WEBRTC_APM_SHIM_H
#define AUDIOPREP_WEBRTC_APM_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct AudioprepApm AudioprepApm;

/// Loads the library (libwebrtc_audio_processing.so.1) with dlopen, on first use rather than at
/// every start (issue 22); NULL, or what failed (dlerror's text, or the missing function's name).
/// Call it once, before any other function here: DSP's `WebRtcLibrary` does.
const char *audioprep_apm_load(void);

/// A processor for `channels` channels at `sample_rate` Hz (8000, 16000, 32000 or 48000), or
/// NULL when the library refuses it (or is not loaded). `noise_level` is -1 (no noise
/// suppression) or WebRTC's level 0 (low) … 3 (very high); `gain_control` 1 turns on the adaptive
/// digital gain control (target -3 dBFS, 9 dB of compression gain, limiter on: the library's
/// defaults; its adaptive level raises quiet input further, by up to about 35 dB).
AudioprepApm *audioprep_apm_create(int sample_rate, int channels, int noise_level, int gain_control);

/// Samples per channel in one frame (10 ms).
int audioprep_apm_frame_length(const AudioprepApm *apm);

/// Processes one frame in place: `channels` points to one buffer of `frame_length` samples per
/// channel. 0, or the library's negative error code.
int audioprep_apm_process(AudioprepApm *apm, float *const *channels);

/// Forgets the stream (every estimate and gain back to its start), keeping the settings; 0 or
/// the library's negative error code.
int audioprep_apm_reset(AudioprepApm *apm);

void audioprep_apm_free(AudioprepApm *apm);

#ifdef __cplusplus
}
#endif

#endif
