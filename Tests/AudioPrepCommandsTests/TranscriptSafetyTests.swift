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
}
