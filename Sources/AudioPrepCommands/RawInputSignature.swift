/// The containers a raw input (`--in-*`) can start with by mistake: `arecord` without `-t raw`
/// writes a WAV header, and a FLAC or MP3 given with `--in-*` is decoded as samples (a click,
/// then noise). The output is what was asked for; the warning says why it may not be wanted.
enum RawInputSignature {
  static let containers: [(signature: String, name: String)] = [
    ("RIFF", "WAV"), ("fLaC", "FLAC"), ("OggS", "Ogg"), ("ID3", "MP3 (ID3)"),
  ]

  /// The container `bytes` start with, or nil.
  static func container(_ bytes: [UInt8]) -> (signature: String, name: String)? {
    containers.first { bytes.starts(with: Array($0.signature.utf8)) }
  }

  /// The one warning line for a raw input whose first bytes are a container's, or nil.
  static func warning(input: String, leadingBytes: [UInt8]) -> String? {
    guard let container = container(leadingBytes) else { return nil }
    return "audioprep: \(input): raw input (--in-*) starts with a \(container.name) header ('\(container.signature)'), decoded as samples; "
      + "without the --in-* options audioprep reads the header (for arecord, add -t raw to send raw samples)"
  }
}
