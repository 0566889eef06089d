/// The one-line error for an input whose header announces audio of which not one frame decodes
/// (an MP4 whose sample table points past its end, a FLAC whose header is damaged after its
/// STREAMINFO): an input fault (65), not an empty output with a `truncated` warning.
enum NothingDecodes {
  static func message(announced: Int64, why: String?) -> String {
    "nothing decodes: the header announces \(announced) frames, the input holds none"
      + (why.map { " (\($0.trimmingTrailingPeriod))" } ?? "")
  }
}
