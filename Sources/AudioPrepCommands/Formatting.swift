import DSP
import Glibc

/// Small text helpers, so the command line does not need Foundation (and its memory).
package enum Text {
  /// printf-style formatting of one number, e.g. format("%.3g", 0.000123) == "0.000123".
  static func format(_ format: String, _ value: Double) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// A count and its noun, singular for one: count(1, "region") == "1 region", count(3, "region")
  /// == "3 regions". Every message that counts things says it this way.
  package static func count(_ count: Int, _ noun: String) -> String {
    "\(count) \(count == 1 ? noun : noun + "s")"
  }

  /// `value` as a person types it, for messages: a whole number without ".0" (-80, 9000), any
  /// other as Swift writes it (0.5, 1e-06, inf), never "-80.0".
  package static func decimal(_ value: Double) -> String {
    value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
  }

  /// Seconds a hint computed (a sum of two positions), as `decimal` writes them with the float
  /// noise of the arithmetic rounded off at the nanosecond (0.1 + 0.2 is "0.3", not
  /// "0.30000000000000004": review33h H1).
  package static func computedSeconds(_ value: Double) -> String { decimal((value * 1e9).rounded() / 1e9) }

  /// `value` with exactly `digits` decimals, e.g. fixed(3.14159, 2) == "3.14".
  /// Beyond 10^15 no decimal is meaningful and the whole part would not fit an `Int`: such a
  /// value is written as Swift writes any Double (`1e+19`), never trapped on.
  package static func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite, abs(value) < 1e15, (0...9).contains(digits) else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled - Double(whole) * scale)
    let sign = value < 0 && scaled > 0 ? "-" : ""
    guard digits > 0 else { return "\(sign)\(whole)" }
    let fractionText = String(fraction)
    return "\(sign)\(whole)." + String(repeating: "0", count: digits - fractionText.count) + fractionText
  }
}

/// JSON pieces, written by hand (no Foundation in the command line).
package enum JSONText {
  /// How the bytes of a name that are not UTF-8 (`PathBytes`' escapes) are written.
  package enum NameBytes: Sendable {
    /// As `PathBytes`' private-use scalars: audioprep's own manifests, which it reads back.
    case pathBytes
    /// As Python's `surrogateescape` does (byte b as `\udcXX`): `json.loads` then `open` give
    /// back the same bytes. For the formats Python toolkits read (NeMo, Lhotse, Hugging Face).
    case surrogateEscapes
  }

  /// A JSON string literal.
  static func quoted(_ text: String, bytes: NameBytes = .pathBytes) -> String {
    var result = "\""
    // Surrogate escapes are for the bytes that are not UTF-8 only (`PathBytes.decoded`).
    let pieces: [PathBytes.Piece] = bytes == .surrogateEscapes ? PathBytes.decoded(text) : text.unicodeScalars.map { .scalar($0) }
    for piece in pieces {
      guard case .scalar(let scalar) = piece else {
        if case .byte(let byte) = piece { result += "\\udc" + String(byte, radix: 16) }
        continue
      }
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      case "\r": result += "\\r"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }

  /// A JSON number, or null for NaN and infinities (which JSON cannot hold).
  static func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }
}

/// Path pieces without Foundation's URL.
package enum PathName {
  /// "a/b/talk.flac" → "flac"; "" when there is none.
  package static func fileExtension(_ path: String) -> String {
    let name = lastComponent(path)
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
    return String(name[name.index(after: dot)...])
  }

  /// "a/b/talk.flac" → "talk.flac".
  package static func lastComponent(_ path: String) -> String {
    path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
  }

  /// "a/b/talk.flac" → "a/b/" (with the slash); "" for a bare name.
  package static func directoryPrefix(_ path: String) -> String {
    path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
  }

  /// Whether `path` names a regular file (following symlinks); false for `-`, FIFOs, devices.
  package static func isRegularFile(_ path: String) -> Bool {
    path != "-" && Descriptor.status(path)?.isRegular == true
  }

  /// "a/b/talk.flac" → "talk".
  package static func stem(_ path: String) -> String {
    let name = lastComponent(path)
    let ext = fileExtension(path)
    return ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
  }
}

/// Writes one line to standard error (the original descriptor, which stays open while the C
/// decoders' own diagnostics are silenced; see `LibraryDiagnostics`).
/// Paths in it are written as the bytes they stand for (`PathBytes`), as `ls` and sox print them,
/// except control characters, which are escaped (`TerminalText.escapingControls`) so that a name
/// holding a newline cannot split the line.
func printError(_ line: String) {
  StandardError.write(TerminalText.bytes(ofLine: line))
}

/// Writes `text`'s lines to standard output as `printError` writes to standard error: a name that
/// is not UTF-8 as its bytes, control characters escaped (a name in a report of several lines is
/// escaped by the report). Lines for machines (`--json`) hold no such byte: their names are
/// escaped as JSON for Python (`JSONText.quoted(_:bytes:)`).
func printOutput(_ text: String) {
  for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
    TerminalText.bytes(ofLine: String(line)).withUnsafeBytes { _ = Descriptor.writeAll(STDOUT_FILENO, $0) }
  }
}

/// Writes a report of several lines (`--stats`, a golden comparison) to standard error, each
/// line through `printError`.
func printError(lines: [String]) {
  for line in lines { printError(line) }
}

enum TerminalText {
  /// `line` and a newline as written to a terminal or a pipe: names as the bytes they stand for
  /// (`PathBytes`), control characters escaped (`escapingControls`).
  static func bytes(ofLine line: String) -> [UInt8] {
    PathBytes.bytes(of: escapingControls(line) + "\n")
  }

  /// The width of the terminal on `descriptor` (TIOCGWINSZ), else $COLUMNS, else 80.
  static func columns(_ descriptor: Int32) -> Int {
    if let columns = Descriptor.terminalColumns(descriptor) { return columns }
    if let text = getenv("COLUMNS"), let columns = Int(String(cString: text)), columns > 0 { return columns }
    return 80
  }

  /// `text` cut to fit `columns` less one (the cursor's cell), ending in "…" when cut.
  static func cut(_ text: String, to columns: Int) -> String {
    let room = max(2, columns - 1)
    guard width(text) > room else { return text }
    var kept = "", used = 0
    for character in text {
      let cell = width(character)
      guard used + cell <= room - 1 else { break }
      kept.append(character)
      used += cell
    }
    return kept + "…"
  }

  /// `text` in at most `columns` terminal columns: its start and its end (the larger part) with
  /// "…" between them when it is longer.
  static func cutInTheMiddle(_ text: String, to columns: Int) -> String {
    guard width(text) > columns else { return text }
    let room = max(0, columns - 1)
    var head = "", tail = ""
    var (headRoom, tailRoom) = (room / 3, room - room / 3)
    for character in text.reversed() {
      guard width(character) <= tailRoom else { break }
      tail.insert(character, at: tail.startIndex)
      tailRoom -= width(character)
    }
    headRoom += tailRoom
    for character in text {
      guard width(character) <= headRoom else { break }
      head.append(character)
      headRoom -= width(character)
    }
    return head + "…" + tail
  }

  /// The columns `text` takes on a terminal: two for each East Asian wide or fullwidth
  /// character (CJK, Hangul, fullwidth forms, most emoji), one for any other.
  static func width(_ text: String) -> Int { text.reduce(0) { $0 + width($1) } }

  static func width(_ character: Character) -> Int {
    guard let value = character.unicodeScalars.first?.value else { return 0 }
    let wide: [ClosedRange<UInt32>] = [
      0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
      0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
      0x1F900...0x1F9FF, 0x20000...0x3FFFD,
    ]
    return wide.contains { $0.contains(value) } ? 2 : 1
  }

  /// `text` with each control character (U+0000…U+001F, U+007F) written as GNU `ls -b` writes it:
  /// `\n`, `\t`, `\r`, `\a`, `\b`, `\f`, `\v`, otherwise three octal digits (`\033`).
  /// Backslashes themselves are left as they are.
  static func escapingControls(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x07: result += "\\a"
      case 0x08: result += "\\b"
      case 0x09: result += "\\t"
      case 0x0A: result += "\\n"
      case 0x0B: result += "\\v"
      case 0x0C: result += "\\f"
      case 0x0D: result += "\\r"
      case 0..<0x20, 0x7F:
        let octal = String(scalar.value, radix: 8)
        result += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}
