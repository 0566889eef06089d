import DSP

/// audioprep's version and the C libraries it runs with.
enum AudioPrepVersion {
  static let number = "0.1.0"

  /// `--version`: FFmpeg's versions as audioprep was built against them, without loading
  /// FFmpeg's libraries (about 130 of them, 20 MB and most of the run's time), which only an
  /// input libsndfile cannot read loads; libsoxr's likewise, from its header. The text is made
  /// for every parse (it is `AudioPrep.configuration`'s), so it loads no library.
  static var text: String {
    describe(soxr: SoxrQuality.headerVersion, ffmpeg: "FFmpeg loaded on first use, built against \(FFmpegSource.headerVersions)")
  }

  /// `--version --verbose`: libsoxr's and FFmpeg's run-time versions, which loads them.
  static var verboseText: String { describe(soxr: SoxrQuality.libraryVersion, ffmpeg: FFmpegSource.libraryVersions) }

  /// Whether `arguments` (without the program's name) ask for the version, and how.
  static func requested(by arguments: [String]) -> String? {
    switch arguments {
    case ["--version"]: text
    case ["--version", "--verbose"], ["--verbose", "--version"]: verboseText
    default: nil
    }
  }

  private static func describe(soxr: String, ffmpeg: String) -> String {
    "audioprep \(number) (\(SndFileSource.libraryVersion), libsamplerate \(Resampler.libraryVersion), "
      + "\(soxr), \(ffmpeg)); resampler engine: polyphase from libsamplerate's filters "
      + "(\(PolyphaseKernel.fastest.rawValue) kernel) where the ratio allows, libsamplerate itself otherwise"
  }
}
