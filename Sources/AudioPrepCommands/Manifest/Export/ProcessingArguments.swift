/// A batch's `params` (see `PipelineFingerprint`) turned back into the `audioprep` options that
/// produce the same samples, for a Kaldi `wav.scp` pipe that processes a whole input as the
/// batch did: `rate=16000 downmix=average resampler=libsamplerate-polyphase converter=medium
/// highpass_hz=80.0 q=1.0dB gain=1.5 …` → `--rate 16000 --resampler libsamplerate --converter
/// medium --highpass 80.0 --q 1.0 --gain 1.5`. A node the params do not name was not in the
/// chain: no high-pass is `--highpass 0`, no gain `--gain 1`, no downmix `--keep-channels`.
package enum ProcessingArguments {
  /// The options, or nil when a token is not one this version knows how to repeat, or one no
  /// run can repeat (`dither=tpdf`: `isDithered`).
  package static func fromParams(_ params: String) -> [String]? {
    var arguments: [String] = []
    var downmixed = false, highpass = false, gain = false
    for token in params.split(separator: " ") {
      guard let equals = token.firstIndex(of: "=") else { return nil }
      let key = String(token[..<equals]), value = String(token[token.index(after: equals)...])
      switch key {
      case "rate": arguments += ["--rate", value]
      case "downmix":
        downmixed = true
        if value.hasPrefix("channel") { arguments += ["--channel", String(value.dropFirst("channel".count))] }
        else if value != "average" { return nil }
      case "resampler":
        switch value {
        case "libsamplerate-polyphase": arguments += ["--resampler", "libsamplerate"]
        case "libsamplerate-direct": arguments += ["--resampler", "libsamplerate-direct"]
        default:
          guard value.hasPrefix("soxr/") else { return nil }
          arguments += ["--resampler", "soxr", "--soxr-quality", String(value.dropFirst("soxr/".count))]
        }
      case "converter": arguments += ["--converter", value]
      case "highpass_hz":
        highpass = true
        arguments += ["--highpass", value]
      case "q":
        if value.hasSuffix("dB") { arguments += ["--q", String(value.dropLast(2))] }
        else if value.hasSuffix("linear") { arguments += ["--q-linear", String(value.dropLast("linear".count))] }
        else { return nil }
      case "gain":
        gain = true
        arguments += ["--gain", value]
      // Dither is noise that differs every run: no pipe gives the batch's samples again.
      case "dither": guard value == "none" else { return nil }
      case "raw":
        guard value != "none" else { continue }
        // 16000Hz/1ch/s16
        let parts = value.split(separator: "/")
        guard parts.count == 3, parts[0].hasSuffix("Hz"), parts[1].hasSuffix("ch") else { return nil }
        arguments += [
          "--in-rate", String(parts[0].dropLast(2)), "--in-channels", String(parts[1].dropLast(2)),
          "--in-encoding", String(parts[2]),
        ]
      // Not the samples' shape here; where segments are cut (`speech`: `--utterances`,
      // `--at-pauses`) the `segments` file gives, from the segments list.
      case "chunk", "pad", "buffer_chunks", "live", "container", "encoding", "segment", "speech", "segment_longer_only": continue
      default: return nil
      }
    }
    if !downmixed { arguments.append("--keep-channels") }
    if !highpass { arguments += ["--highpass", "0"] }
    if !gain { arguments += ["--gain", "1"] }
    return arguments
  }
}

extension ProcessingArguments {
  /// Whether the batch dithered its output (`dither=` other than `none`).
  package static func isDithered(_ params: String) -> Bool {
    params.split(separator: " ").contains { $0.hasPrefix("dither=") && $0 != "dither=none" }
  }
}

/// `text` as one word for `sh`: itself when it is plain, else in single quotes.
func shellQuoted(_ text: String) -> String {
  let plain = !text.isEmpty && text.utf8.allSatisfy { byte in
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
      || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "/._-+=:,@%".utf8.contains(byte)
  }
  return plain ? text : "'" + text.replacing("'", with: "'\\''") + "'"
}
