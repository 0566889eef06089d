import DSP
import Glibc

/// The containers a raw input (`--in-*`) can start with by mistake: `arecord` without `-t raw`
/// writes a WAV header, and a FLAC or MP3 given with `--in-*` is decoded as samples (a click,
/// then noise). The output is what was asked for; the warning says why it may not be wanted.
enum RawInputSignature {
  /// Each signature, and the container's name with its article ("an Ogg", "a WAV").
  static let containers: [(signature: String, name: String)] = [
    ("RIFF", "a WAV"), ("RF64", "an RF64 WAV"), ("fLaC", "a FLAC"), ("OggS", "an Ogg"), ("ID3", "an MP3 (ID3)"),
    ("FORM", "an AIFF"), ("caff", "a CAF"),
    // review33h W8: Sun/NeXT AU, NIST SPHERE (Kaldi's corpora), Sony Wave64 ("riff" in lower case).
    (".snd", "an AU"), ("NIST", "a NIST SPHERE"), ("riff", "a Wave64"),
  ]

  /// The container `bytes` start with, or nil.
  static func container(_ bytes: [UInt8]) -> (signature: String, name: String)? {
    containers.first { bytes.starts(with: Array($0.signature.utf8)) }
  }

  /// The one warning line for a raw input whose first bytes are a container's, or nil. The
  /// arecord advice is for a WAV header on a stream (standard input, a FIFO), which is where
  /// arecord writes; a file is named by what it holds.
  static func warning(input: String, leadingBytes: [UInt8]) -> String? {
    guard let container = container(leadingBytes) else { return nil }
    let arecord = container.signature == "RIFF" && OutputDestination.isStream(input) ? " (for arecord, add -t raw to send raw samples)" : ""
    return "audioprep: \(input): raw input (--in-*) starts with \(container.name) header ('\(container.signature)'), decoded as samples; "
      + "without the --in-* options audioprep reads the header\(arecord)"
  }

  /// The refusal (64) of --in-* (`given`; `command`: all three with the values given, a
  /// placeholder for the others, as the command to paste) for a regular file whose name does not say raw and
  /// that starts with a container's header, or nil.
  static func headerRefusal(path: String, given: [String], command: String) -> CommandFailure? {
    guard !OutputDestination.isStream(path), Descriptor.status(path)?.isRegular == true,
      !RawInputOptions.rawExtensions.contains(PathName.fileExtension(path).lowercased())
    else { return nil }
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { try? Descriptor.close(descriptor) }
    guard let bytes = try? Descriptor.read(descriptor, count: 4, at: 0), !bytes.isEmpty, let container = container(bytes) else { return nil }
    let options = given.count == 1 ? "\(given[0]) is" : "\(given.joined(separator: ", ")) are"
    return CommandFailure(
      path,
      "is \(container.name) file (it starts with '\(container.signature)'); \(options) for headerless input: drop \(given.count == 1 ? "it" : "them") and audioprep reads its header "
        + "(to decode the header as samples anyway, as sox -t raw does: audioprep - \(command) < \(path))",
      code: ExitStatus.usage)
  }
}
