/// RFC 4180 CSV: fields with a comma, a quote or a line break are quoted, quotes doubled; lines
/// end in CRLF-free "\n" (Python's csv module and pandas read both).
enum CSVText {
  static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacing("\"", with: "\"\"") + "\""
  }

  static func row(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\n" }
}
