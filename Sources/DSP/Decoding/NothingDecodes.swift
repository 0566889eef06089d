/// The one-line error for an input whose header announces audio of which not one frame decodes
/// (an MP4 whose sample table points past its end, a FLAC whose header is damaged after its
/// STREAMINFO): an input fault (65), not an empty output with a `truncated` warning.
enum NothingDecodes {
  static func message(announced: Int64, why: String?) -> String {
    "nothing decodes: the header announces \(announced) frames, the input holds none"
      + (why.map { " (\($0.trimmingTrailingPeriod))" } ?? "")
  }

  /// A stream FFmpeg stopped reading (`failure`) before it gave any audio.
  static func stoppedBeforeAnyAudio(_ failure: String) -> String {
    "nothing decodes: FFmpeg stopped reading before any audio (\(failure.trimmingTrailingPeriod))"
  }

  /// A stream whose container's index lists `packets` packets, none of which decodes.
  static func indexedButNoneDecodes(_ packets: Int64) -> String {
    "nothing decodes: the index lists \(packets) packets of audio, the input gives none (its header damaged?)"
  }

  /// An Ogg stream cut before its first audio page: its headers announce no length, and its
  /// last page does not end the stream.
  static let oggCutAfterHeaders = "nothing decodes: the input ends after its Ogg headers, before any audio (its last page does not end the stream)"
}
