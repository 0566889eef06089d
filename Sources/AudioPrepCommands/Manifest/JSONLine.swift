/// A flat JSON object on one line: string keys to scalar values, keys kept in order.
///
/// Enough JSON for manifest lines, written and read without Foundation: strings, integers,
/// numbers, booleans and null. Nested objects and arrays are refused when parsing.
package struct JSONLine: Equatable {
  package enum Value: Equatable {
    case string(String)
    case integer(Int64)
    case number(Double)
    case bool(Bool)
    case null
  }

  package struct ParseError: Error, CustomStringConvertible {
    package let description: String
  }

  package private(set) var fields: [(key: String, value: Value)] = []

  package init() {}

  package static func == (a: JSONLine, b: JSONLine) -> Bool {
    a.fields.elementsEqual(b.fields) { $0.key == $1.key && $0.value == $1.value }
  }

  package subscript(key: String) -> Value? {
    fields.last { $0.key == key }?.value
  }

  package mutating func set(_ key: String, _ value: Value) {
    if let index = fields.firstIndex(where: { $0.key == key }) {
      fields[index].value = value
    } else {
      fields.append((key, value))
    }
  }

  package mutating func set(_ key: String, _ text: String?) { set(key, text.map { .string($0) } ?? .null) }
  package mutating func set(_ key: String, _ number: Int64?) { set(key, number.map { .integer($0) } ?? .null) }
  package mutating func set(_ key: String, _ number: Int?) { set(key, number.map { Int64($0) }) }
  package mutating func set(_ key: String, _ number: Double?) {
    set(key, number.map { $0.isFinite ? .number($0) : .null } ?? .null)
  }

  package func string(_ key: String) -> String? {
    if case .string(let text) = self[key] { return text }
    return nil
  }

  package func integer(_ key: String) -> Int64? {
    switch self[key] {
    case .integer(let value): value
    case .number(let value) where value == value.rounded() && abs(value) < 9e18: Int64(value)
    default: nil
    }
  }

  package func number(_ key: String) -> Double? {
    switch self[key] {
    case .integer(let value): Double(value)
    case .number(let value): value
    default: nil
    }
  }

  /// `{"key":value,...}` without spaces or a newline, names' bytes as audioprep reads them back.
  package var encoded: String { encoded(.pathBytes) }

  /// `{"key":value,...}` without spaces or a newline, names' bytes that are not UTF-8 as `bytes`.
  package func encoded(_ bytes: JSONText.NameBytes) -> String {
    var text = "{"
    for (index, field) in fields.enumerated() {
      if index > 0 { text += "," }
      text += JSONText.quoted(field.key, bytes: bytes) + ":"
      switch field.value {
      case .string(let value): text += JSONText.quoted(value, bytes: bytes)
      case .integer(let value): text += String(value)
      case .number(let value): text += value.isFinite ? "\(value)" : "null"
      case .bool(let value): text += value ? "true" : "false"
      case .null: text += "null"
      }
    }
    return text + "}"
  }

  /// Parses one object; surrounding whitespace is allowed, anything else after it is not.
  package init(parsing text: some StringProtocol) throws {
    var parser = Parser(bytes: Array(text.utf8))
    self = try parser.object()
    parser.skipWhitespace()
    guard parser.atEnd else { throw parser.error("unexpected text after the object") }
  }

  private struct Parser {
    let bytes: [UInt8]
    var position = 0

    var atEnd: Bool { position >= bytes.count }

    func error(_ message: String) -> ParseError {
      ParseError(description: "\(message) at byte \(position)")
    }

    mutating func skipWhitespace() {
      while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    mutating func expect(_ byte: UInt8) throws {
      skipWhitespace()
      guard position < bytes.count, bytes[position] == byte else {
        throw error("expected '\(Character(Unicode.Scalar(byte)))'")
      }
      position += 1
    }

    mutating func object() throws -> JSONLine {
      var line = JSONLine()
      try expect(UInt8(ascii: "{"))
      skipWhitespace()
      if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
        position += 1
        return line
      }
      while true {
        skipWhitespace()
        let key = try string()
        try expect(UInt8(ascii: ":"))
        line.fields.append((key, try value()))
        skipWhitespace()
        guard position < bytes.count else { throw error("unterminated object") }
        let byte = bytes[position]
        position += 1
        if byte == UInt8(ascii: "}") { return line }
        guard byte == UInt8(ascii: ",") else { throw error("expected ',' or '}'") }
      }
    }

    mutating func value() throws -> Value {
      skipWhitespace()
      guard position < bytes.count else { throw error("missing value") }
      switch bytes[position] {
      case UInt8(ascii: "\""): return .string(try string())
      case UInt8(ascii: "t"): try literal("true"); return .bool(true)
      case UInt8(ascii: "f"): try literal("false"); return .bool(false)
      case UInt8(ascii: "n"): try literal("null"); return .null
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
      default: throw error("unsupported value (manifest lines hold only scalars)")
      }
    }

    mutating func literal(_ word: String) throws {
      let expected = Array(word.utf8)
      guard bytes.count - position >= expected.count,
        Array(bytes[position..<position + expected.count]) == expected
      else { throw error("expected \(word)") }
      position += expected.count
    }

    mutating func number() throws -> Value {
      let start = position
      var isInteger = true
      while position < bytes.count {
        let byte = bytes[position]
        if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
          isInteger = false
        } else if !(byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || (0x30...0x39).contains(byte)) {
          break
        }
        position += 1
      }
      let text = String(decoding: bytes[start..<position], as: UTF8.self)
      if isInteger, let value = Int64(text) { return .integer(value) }
      guard let value = Double(text) else { throw error("bad number '\(text)'") }
      return .number(value)
    }

    mutating func string() throws -> String {
      guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string") }
      position += 1
      var utf8: [UInt8] = []
      while position < bytes.count {
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""):
          return String(decoding: utf8, as: UTF8.self)
        case UInt8(ascii: "\\"):
          guard position < bytes.count else { throw error("unterminated escape") }
          let escaped = bytes[position]
          position += 1
          switch escaped {
          case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
          case UInt8(ascii: "b"): utf8.append(0x08)
          case UInt8(ascii: "f"): utf8.append(0x0C)
          case UInt8(ascii: "n"): utf8.append(0x0A)
          case UInt8(ascii: "r"): utf8.append(0x0D)
          case UInt8(ascii: "t"): utf8.append(0x09)
          case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
              try literal("\\u")
              let low = try hex4()
              guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
              scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error("bad \\u escape") }
            utf8.append(contentsOf: Array(String(Character(unicode)).utf8))
          default: throw error("bad escape")
          }
        case 0..<0x20:
          throw error("control character in a string")
        default:
          utf8.append(byte)
        }
      }
      throw error("unterminated string")
    }

    mutating func hex4() throws -> UInt32 {
      guard bytes.count - position >= 4 else { throw error("short \\u escape") }
      let text = String(decoding: bytes[position..<position + 4], as: UTF8.self)
      guard let value = UInt32(text, radix: 16) else { throw error("bad \\u escape") }
      position += 4
      return value
    }
  }
}
