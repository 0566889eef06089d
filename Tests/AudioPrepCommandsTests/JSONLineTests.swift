import AudioPrepCommands
import DSP
import Testing

/// Manifest lines as text: what `JSONLine` writes, and what it reads back.
@Suite struct JSONLineTests {
  @Test func encodesEachKindOfValueInOrder() {
    var line = JSONLine()
    line.set("s", "text")
    line.set("i", Int64(-42))
    line.set("x", 0.5)
    line.set("b", .bool(true))
    line.set("n", nil as String?)
    line.set("nan", Double.nan)
    #expect(line.encoded == #"{"s":"text","i":-42,"x":0.5,"b":true,"n":null,"nan":null}"#)
  }

  @Test func setReplacesAValueInPlace() {
    var line = JSONLine()
    line.set("a", 1)
    line.set("b", 2)
    line.set("a", "again")
    #expect(line.encoded == #"{"a":"again","b":2}"#)
  }

  @Test func escapesQuotesBackslashesAndControlCharacters() {
    var line = JSONLine()
    line.set("k\"", "a\"b\\c\n\t\r\u{01}\u{1F}\u{7F}é/")
    // \n \t \r by name, other controls as \u00XX in lower case; DEL, é and / as they are.
    #expect(line.encoded == "{\"k\\\"\":\"a\\\"b\\\\c\\n\\t\\r\\u0001\\u001f\u{7F}é/\"}")
  }

  @Test func everyControlCharacterSurvivesARoundTrip() throws {
    var line = JSONLine()
    let controls = String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar(UInt8($0)) }))
    line.set("controls", controls)
    let encoded = line.encoded
    #expect(!encoded.utf8.contains { $0 < 0x20 }, "no raw control byte on the line")
    let parsed = try JSONLine(parsing: encoded)
    #expect(parsed.string("controls") == controls)
    #expect(parsed == line)
  }

  @Test func readsEscapesNumbersAndLiterals() throws {
    let line = try JSONLine(
      parsing: #" { "a" : "\u00e9\ud83d\ude00\/\b\f\"" , "b":1e3,"c":-7,"d":false,"e":null,"f":2.50 } "#)
    #expect(line.string("a") == "é😀/\u{08}\u{0C}\"")
    #expect(line["b"] == .number(1000))
    #expect(line["c"] == .integer(-7))
    #expect(line["d"] == .bool(false))
    #expect(line["e"] == .null)
    #expect(line.number("f") == 2.5)
    // A whole number written as a double still reads as an integer; 2.5 does not.
    #expect(line.integer("b") == 1000)
    #expect(line.integer("f") == nil)
    #expect(line.fields.map(\.key) == ["a", "b", "c", "d", "e", "f"])
  }

  @Test func theLastOfTwoEqualKeysWins() throws {
    #expect(try JSONLine(parsing: #"{"a":1,"a":2}"#).integer("a") == 2)
  }

  /// Names that are not UTF-8 travel as U+EF80…U+EFFF (`PathBytes`) and come back byte-exact.
  @Test func pathsThatAreNotUTF8SurviveARoundTrip() throws {
    let bytes: [UInt8] = [0x61, 0xFF, 0x80, 0x2F, 0xC3, 0x0A, 0xEE, 0xBE, 0x80]
    let path = PathBytes.string(fromBytes: bytes)
    // 0xFF, 0x80, the lone 0xC3, and each byte of the valid UTF-8 for U+EF80 are escaped.
    #expect(path == "a\u{EFFF}\u{EF80}/\u{EFC3}\n\u{EFEE}\u{EFBE}\u{EF80}")
    var line = JSONLine()
    line.set("input", path)
    #expect(line.encoded == "{\"input\":\"a\u{EFFF}\u{EF80}/\u{EFC3}\\n\u{EFEE}\u{EFBE}\u{EF80}\"}")
    let parsed = try JSONLine(parsing: line.encoded)
    #expect(PathBytes.bytes(of: try #require(parsed.string("input"))) == bytes)
    // The same scalar written as a \u escape reads as the same byte.
    #expect(try JSONLine(parsing: #"{"p":"\uefff"}"#).string("p").map(PathBytes.bytes(of:)) == [0xFF])
  }

  @Test(arguments: [
    (#"{"a":1} x"#, "unexpected text after the object at byte 8"),
    (#"{"a":{"b":1}}"#, "unsupported value (manifest lines hold only scalars) at byte 5"),
    (#"{"a":[1]}"#, "unsupported value (manifest lines hold only scalars) at byte 5"),
    ("{\"a\":\"x\ny\"}", "control character in a string at byte 8"),
    (#"{"a":"\ud800x"}"#, "expected \\u at byte 12"),
    (#"{"a":"\ud800\u0041"}"#, "unpaired surrogate at byte 18"),
    (#"{"a":"\q"}"#, "bad escape at byte 8"),
    (#"{"a":"x"#, "unterminated string at byte 7"),
    (#"{"a":1"#, "unterminated object at byte 6"),
    (#"{"a" 1}"#, "expected ':' at byte 5"),
    (#"{"a":tru}"#, "expected true at byte 5"),
    (#"{"a":1-2}"#, "bad number '1-2' at byte 8"),
    ("", "expected '{' at byte 0"),
  ])
  func refusesWhatIsNotAFlatObject(text: String, message: String) {
    let error = #expect(throws: JSONLine.ParseError.self) { try JSONLine(parsing: text) }
    #expect(error?.description == message)
  }
}
