import AudioPrepCommands
import Foundation
import Testing

/// Sidecar transcripts in `manifest export` (issue 16, the second review): a transcript is
/// bounded before it is read (a 300 MB one took 895 MB), control characters are refused, not
/// copied into Kaldi's `text` raw, and an id collision names both inputs.
@Suite struct TranscriptSafetyTests {
  typealias Export = ManifestExportTests

  @Test func aTranscriptBeyondItsLimitOrWithControlCharactersIsRefusedNamingIt() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    try scratch.file("corpus/spk1/a.txt", "HELLO\u{0}WORLD\n")
    let nul = #expect(throws: CommandFailure.self) { try ExportCorpus(records: Export.records, options: scratch.options) }
    #expect(nul?.code == 65)
    #expect(nul?.path.hasSuffix("corpus/spk1/a.txt") == true)
    #expect(nul?.message.contains("control character") == true)
    try scratch.file("corpus/spk1/a.txt", String(repeating: "WORD ", count: (1 << 20) / 5 + 1))
    let huge = #expect(throws: CommandFailure.self) { try ExportCorpus(records: Export.records, options: scratch.options) }
    #expect(huge?.code == 65)
    #expect(huge?.path.hasSuffix("corpus/spk1/a.txt") == true)
    try scratch.file("corpus/spk1/a.txt", "HELLO\tWORLD\r\n")
    let corpus = try ExportCorpus(records: Export.records, options: scratch.options)
    #expect(corpus.utterances.first?.text == "HELLO WORLD")
  }

  /// A transcript that is a symlink is read only when its target is a transcript of this
  /// recording: beside the input as named, or beside the file the input's own symlink reaches
  /// (a symlink farm). One pointing anywhere else (`a.txt -> /etc/passwd` in a downloaded
  /// corpus) put that file into `text` and the exports meant to be shared; it is refused (65)
  /// naming the link and its target (the third review of #19 left this open).
  @Test func aSymlinkedTranscriptIsReadOnlyFromBesideTheRecording() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let root = scratch.directory.path
    let transcript = root + "/corpus/spk1/a.txt"
    try scratch.file("secret/passwd", "root:x:0:0\n")
    try FileManager.default.removeItem(atPath: transcript)
    try FileManager.default.createSymbolicLink(atPath: transcript, withDestinationPath: root + "/secret/passwd")
    let outside = #expect(throws: CommandFailure.self) { try ExportCorpus(records: Export.records, options: scratch.options) }
    #expect(outside?.code == 65)
    #expect(outside?.path.hasSuffix("corpus/spk1/a.txt") == true)
    #expect(outside?.message.contains("secret/passwd") == true, "\(outside?.message ?? "")")
    // A relative link to another directory is the same case.
    try FileManager.default.removeItem(atPath: transcript)
    try FileManager.default.createSymbolicLink(atPath: transcript, withDestinationPath: "../../secret/passwd")
    #expect(throws: CommandFailure.self) { try ExportCorpus(records: Export.records, options: scratch.options) }
    // A link to a file beside it is read.
    try scratch.file("corpus/spk1/a.words", "HELLO THERE\n")
    try FileManager.default.removeItem(atPath: transcript)
    try FileManager.default.createSymbolicLink(atPath: transcript, withDestinationPath: "a.words")
    #expect(try ExportCorpus(records: Export.records, options: scratch.options).utterances.first?.text == "HELLO THERE")
    // A symlink farm: the input and its transcript both link into the real corpus.
    try scratch.file("real/spk1/a.wav")
    try scratch.file("real/spk1/a.txt", "FROM THE FARM\n")
    try FileManager.default.removeItem(atPath: root + "/corpus/spk1/a.wav")
    try FileManager.default.createSymbolicLink(atPath: root + "/corpus/spk1/a.wav", withDestinationPath: root + "/real/spk1/a.wav")
    try FileManager.default.removeItem(atPath: transcript)
    try FileManager.default.createSymbolicLink(atPath: transcript, withDestinationPath: root + "/real/spk1/a.txt")
    #expect(try ExportCorpus(records: Export.records, options: scratch.options).utterances.first?.text == "FROM THE FARM")
  }

  @Test func anIdCollisionNamesBothInputs() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    try scratch.file("out/spk1 a.wav")
    try scratch.file("out/spk1_a.wav")
    let failure = #expect(throws: CommandFailure.self) {
      try ExportCorpus(records: [Export.record("spk1 a.wav"), Export.record("spk1_a.wav")], options: scratch.options)
    }
    #expect(failure?.code == 65)
    let both = [failure?.path ?? "", failure?.message ?? ""].joined(separator: " ")
    #expect(both.contains("spk1 a.wav") && both.contains("spk1_a.wav"), "\(both)")
  }

  /// A transcript name that is not a regular file — a FIFO, a directory, a link to /dev/zero, a
  /// link to nothing — is refused (65) naming it and what it is: it was read as "" without a
  /// word (review31m W5). Nothing is opened: a FIFO would block, /dev/zero never ends.
  @Test(arguments: ["fifo", "directory", "/dev/zero", "dangling"])
  func aTranscriptThatIsNoRegularFileIsRefusedNamingIt(kind: String) throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let transcript = scratch.directory.path + "/corpus/spk1/a.txt"
    try FileManager.default.removeItem(atPath: transcript)
    switch kind {
    case "fifo": #expect(mkfifo(transcript, 0o600) == 0)
    case "directory": try FileManager.default.createDirectory(atPath: transcript, withIntermediateDirectories: false)
    case "dangling": try FileManager.default.createSymbolicLink(atPath: transcript, withDestinationPath: "a.gone")
    default: try FileManager.default.createSymbolicLink(atPath: transcript, withDestinationPath: kind)
    }
    let failure = #expect(throws: CommandFailure.self) { try ExportCorpus(records: Export.records, options: scratch.options) }
    #expect(failure?.code == 65)
    #expect(failure?.path.hasSuffix("/corpus/spk1/a.txt") == true, "\(failure?.path ?? "")")
    let said = ["fifo": "is a FIFO", "directory": "is a directory", "/dev/zero": "is a device", "dangling": "is a symbolic link to nothing"][kind]!
    #expect(failure?.message.hasPrefix(said) == true, "\(failure?.message ?? "")")
  }
}
