import DSP

/// Ids as Kaldi's data directories need them: no whitespace, and a speaker id followed by `-`
/// as the prefix of each of its utterance ids, so that sorting utterances and sorting speakers
/// (`LC_ALL=C`) agree, as `utils/validate_data_dir.sh` checks.
///
/// The order agrees when `-` sorts before every byte of a speaker id: a speaker `a` and a
/// speaker `a.b` then give `a-x` < `a.b-y` as `a` < `a.b`. So every byte up to `-` (controls,
/// space, `!"#$%&'()*+,-`), `/` and Unicode whitespace become `_`; letters, digits, `.`, `_` and other UTF-8 stay. A
/// byte of a name that is not UTF-8 becomes `_` and its two hex digits (Latin-1 "café" is
/// `caf_e9`), so that ids are UTF-8 for the readers that decode them (kaldi-native-io, Lhotse);
/// valid UTF-8 is its character, U+EF80…U+EFFF included (`PathBytes.decoded`).
package enum KaldiID {
  package static func sanitized(_ text: String) -> String {
    let replaced = { (byte: UInt8) in byte <= UInt8(ascii: "-") || byte == UInt8(ascii: "/") ? UInt8(ascii: "_") : byte }
    // Unicode whitespace too (a no-break space, U+3000): Python's split() and Kaldi's
    // validate_text.pl break a line there (review32m W6).
    let scalarReplaced = { (scalar: Unicode.Scalar) in scalar.properties.isWhitespace ? [UInt8(ascii: "_")] : String(scalar).utf8.map(replaced) }
    guard PathBytes.hasEscapes(text) else { return String(decoding: text.unicodeScalars.flatMap(scalarReplaced), as: UTF8.self) }
    var bytes: [UInt8] = []
    for piece in PathBytes.decoded(text) {
      switch piece {
      case .byte(let byte): bytes += Array("_\(String(byte, radix: 16))".utf8)
      case .scalar(let scalar): bytes += scalarReplaced(scalar)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// "spk1/a.flac" → "spk1_a": the input's path below the batch root, without its extension.
  package static func base(ofRelativePath relativePath: String) -> String {
    let stem = PathName.directoryPrefix(relativePath) + PathName.stem(relativePath)
    return sanitized(stem)
  }

  /// `index` with leading zeros to `width` digits, so segment ids sort in their order.
  package static func numbered(_ index: Int, width: Int) -> String {
    let digits = String(index)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
