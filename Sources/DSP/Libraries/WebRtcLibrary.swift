import CWebRtcAudioProcessing
import CWebRtcVAD

/// WebRTC's audio processing library (the voice detector's C functions and
/// `webrtc::AudioProcessing`, behind the C++ shim), loaded on first use (`cwebrtcvad_load`,
/// `audioprep_apm_load`): a run that neither detects speech nor denoises nor controls gain never
/// maps it.
enum WebRtcLibrary {
  private static let loaded: Result<cwebrtcvad_api, DSPError> = {
    var api = cwebrtcvad_api()
    if let failure = cwebrtcvad_load(&api) ?? audioprep_apm_load() {
      return .failure(.libraryFailure("libwebrtc_audio_processing cannot be loaded (\(String(cString: failure)))"))
    }
    return .success(api)
  }()

  /// The voice detector's function table, with the shim's `audioprep_apm_*` functions ready;
  /// throws when the library is missing.
  static func load() throws(DSPError) -> cwebrtcvad_api { try loaded.get() }
}
