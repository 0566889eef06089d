/// A level on the command line in its option's unit, written or not: `-23`, `-23LUFS` for
/// `--loudness`; `-1`, `-1dBFS` for `--peak`; `-1`, `-1dBTP` for `--true-peak`.
enum LevelArgument {
  static func lufs(_ text: String) throws -> Double { try level(text, unit: "lufs", expected: "-23, -23LUFS") }
  static func dBFS(_ text: String) throws -> Double { try level(text, unit: "dbfs", expected: "-1, -1dBFS") }
  static func dBTP(_ text: String) throws -> Double { try level(text, unit: "dbtp", expected: "-1, -1dBTP") }

  private static func level(_ text: String, unit: String, expected: String) throws -> Double {
    let (number, _) = UnitArgument.split(text, units: [(unit, 1)])
    guard let value = UnitArgument.number(number) else { throw UnitError("is not a level: give a number (\(expected))") }
    return value
  }
}
