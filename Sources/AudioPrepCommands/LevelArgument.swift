/// A level on the command line in its option's unit, written or not: `-23`, `-23LUFS`,
/// `-23LKFS` for `--loudness`; `-1`, `-1dBFS`, `-1dB` for `--peak`; `-1`, `-1dBTP`, `-1dB` for
/// `--true-peak`.
enum LevelArgument {
  static func lufs(_ text: String) throws -> Double {
    try UnitArgument.read(text, units: [("lufs", 1), ("lkfs", 1)], what: "a level", forms: "a number (-23, -23LUFS)")
  }
  static func dBFS(_ text: String) throws -> Double {
    try UnitArgument.read(text, units: [("dbfs", 1), ("db", 1)], what: "a level", forms: "a number (-1, -1dB, -1dBFS)")
  }
  static func dBTP(_ text: String) throws -> Double {
    try UnitArgument.read(text, units: [("dbtp", 1), ("db", 1)], what: "a level", forms: "a number (-1, -1dB, -1dBTP)")
  }
}
