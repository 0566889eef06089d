import ArgumentParser

/// A path option given as "" (an unset shell variable, `--out-dir "$OUT"`) names no file: a
/// usage error naming the option (as `UsageHint` says it before parsing, for the C interface), never the current directory or a default in its place
/// (`batch --out-dir ''` wrote into the current directory).
enum EmptyPath {
  static func refuse(_ options: [(name: String, value: String?)]) throws {
    for (name, value) in options where value?.isEmpty == true {
      throw ValidationError("\(name) needs a path; it was given an empty one ('')")
    }
  }
}
