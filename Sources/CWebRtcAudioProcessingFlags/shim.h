// Declares nothing: this module exists for what `pkg-config webrtc-audio-processing` gives the
// targets that depend on it, the headers' folder (-I/usr/include/webrtc_audio_processing) and
// the library to link. The C++ API is used by CWebRtcAudioProcessing's shim only.
