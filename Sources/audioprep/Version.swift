import DSP

/// audioprep's version and the C libraries it runs with.
enum AudioPrepVersion {
  static let number = "0.1.0"
  static var text: String {
    "audioprep \(number) (\(SndFileSource.libraryVersion), libsamplerate \(Resampler.libraryVersion), "
      + "\(SoxrResampler.libraryVersion), \(FFmpegSource.libraryVersions))"
  }
}
