@testable import AudioPrepCommands
import Testing

/// A command named in full is no typo of itself: `audioprep process in.wav --converter bogus`
/// (and the C interface, which parses `process INPUT OPTIONS…`) said "'process' is neither a
/// file nor a command; did you mean 'audioprep process'?" instead of the option's fault.
@Suite struct ExplicitCommandTests {
  @Test(arguments: [
    (["process", "in.wav", "--converter", "bogus"], "--converter: 'bogus' is not one of"),
    (["info", "in.wav", "--converter", "bogus"], "--converter: 'bogus' is not one of"),
  ])
  func anExplicitCommandIsNoTypo(arguments: [String], fault: String) throws {
    let line = try #require(AudioPrep.usageError(arguments))
    #expect(!line.contains("neither a file nor a command"), "\(line)")
    #expect(line.contains(fault), "\(line)")
  }

  @Test func aMistypedCommandStillIs() throws {
    let line = try #require(AudioPrep.usageError(["proces", "in.wav"]))
    #expect(line.contains("did you mean 'audioprep process'"), "\(line)")
  }
}
