/// The inputs a `--speaker-from` rule (`parent`, a level N) finds no speaker directory for:
/// each is its own speaker, as with `utterance`, and said so. A rule deeper than every input's
/// path names no directory of the corpus: a usage error, as the option's other bad values are.
/// Both were silent (review31m W7: `--speaker-from 3` on `spk/a.wav` made every utterance its
/// own speaker, exit 0).
extension SpeakerRule {
  /// The option's value as typed: `utterance`, `parent`, `2`.
  var argument: String {
    switch self {
    case .utterance: "utterance"
    case .parent: "parent"
    case .level(let level): String(level)
    }
  }

  /// A warning naming the first of `speakerless` and counting the others, nil when there are
  /// none; 64 when the rule found no speaker at all (`anyFound` false), naming the deepest
  /// level the inputs have.
  func speakerlessWarning(_ speakerless: [ManifestRecord], anyFound: Bool) throws -> ExportCorpus.Warning? {
    guard let first = speakerless.first else { return nil }
    let depth = { (record: ManifestRecord) in PathName.components(PathName.directoryPrefix(record.relativePath)).count }
    guard anyFound else {
      let deepest = speakerless.map(depth).max() ?? 0
      let levels = deepest == 1 ? "1" : "1 to \(deepest)"
      let message =
        deepest == 0
        ? "no input lies in a directory below its batch's root: use utterance"
        : "no input lies \(argument) directories below its batch's root (the deepest lies \(deepest) below): use \(levels), parent or utterance"
      throw CommandFailure("--speaker-from \(argument)", message, code: ExitStatus.usage)
    }
    let lies: String =
      switch self {
      case .level(let level) where level > 1: "lies fewer than \(level) directories below its batch's root"
      default: "lies at its batch's root"
      }
    let others = speakerless.count > 1 ? " (and \(Text.count(speakerless.count - 1, "other input")))" : ""
    return ExportCorpus.Warning(
      path: first.input,
      message: "\(lies)\(others): --speaker-from \(argument) finds no speaker there, so \(others.isEmpty ? "it is" : "each is") its own speaker")
  }
}
