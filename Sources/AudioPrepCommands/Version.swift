import DSP

/// audioprep's version and the C libraries it runs with.
enum AudioPrepVersion {
  static let number = "0.1.0"

  /// With FFmpeg's run-time versions, which loads FFmpeg's libraries: for `--version` only.
  static var text: String { describe(ffmpeg: FFmpegSource.libraryVersions) }

  /// What argument-parser holds for `--version`; building it must not load FFmpeg, which would
  /// cost every run ~20 MB of memory, so `AudioPrep.main` answers `--version` with `text` itself.
  static var textWithoutLoading: String { describe(ffmpeg: "FFmpeg libraries loaded on first use") }

  private static func describe(ffmpeg: String) -> String {
    "audioprep \(number) (\(SndFileSource.libraryVersion), libsamplerate \(Resampler.libraryVersion), "
      + "\(SoxrResampler.libraryVersion), \(ffmpeg)); resampler engine: polyphase from libsamplerate's filters "
      + "(\(PolyphaseResampler.Kernel.fastest.rawValue) kernel) where the ratio allows, libsamplerate itself otherwise"
  }
}
