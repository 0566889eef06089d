import DSP
import Foundation
import Glibc
import TestSupport
import Testing

/// The library's `AudioPipeline.run` writes what the command line writes, byte for byte: a file,
/// standard output and segments (#17: one run path for both).
@Suite struct RunTests {
  let input = fixtures + "/speech.flac"

  func scratch() throws -> String {
    let directory = NSTemporaryDirectory() + "audioprep-run-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    return directory
  }

  func cli(_ arguments: [String], stdout: String? = nil) throws {
    let result = try spawn(audioprepPath, arguments, stdoutPath: stdout)
    #expect(result.status == 0, "\(arguments): \(result.stderr)")
  }

  @Test func aFileIsTheCommandLinesFile() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for (container, encoding) in [(Container.wav, SampleEncoding.s16), (.flac, .s24), (.wav, .f32)] {
      let name = "\(container.rawValue)-\(encoding.rawValue).\(container.fileExtension)"
      let result = try AudioPipeline().run(
        .init(input), to: .init(.file(directory + "/lib-" + name), format: OutputFileFormat(container: container, encoding: encoding)))
      #expect(result.input.decoderName == "libsndfile")
      try cli([input, "-o", directory + "/cli-" + name, "--encoding", encoding.rawValue])
      #expect(readWholeFile(directory + "/lib-" + name) == readWholeFile(directory + "/cli-" + name), "\(name)")
    }
  }

  @Test func standardOutputIsTheCommandLinesWithExactSizes() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    // The library writes to this process's standard output: pointed at a file for the run.
    fflush(nil)
    let saved = dup(STDOUT_FILENO)
    let file = open(directory + "/lib.wav", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    dup2(file, STDOUT_FILENO)
    close(file)
    let result = Result {
      try AudioPipeline().run(.init(input), to: .init(.standardOutput, format: OutputFileFormat(container: .wav)))
    }
    dup2(saved, STDOUT_FILENO)
    close(saved)
    let report = try result.get().report
    try cli([input, "-o", "-", "--format", "wav"], stdout: directory + "/cli.wav")
    let bytes = readWholeFile(directory + "/lib.wav")
    #expect(bytes == readWholeFile(directory + "/cli.wav"))
    // Exact sizes, not the streaming 0xFFFFFFFF: RIFF size and data size from the length.
    let dataBytes = UInt32(report.outputFrames * 2)
    #expect(Array(bytes[4..<8]) == withUnsafeBytes(of: (dataBytes + 36).littleEndian, Array.init))
    #expect(Array(bytes[40..<44]) == withUnsafeBytes(of: dataBytes.littleEndian, Array.init))
  }

  @Test func segmentsAreTheCommandLinesSegments() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var heard: [SegmentingSink.Segment] = []
    let segments = AudioPipeline.Output.Segments(
      lengthSeconds: 1, overlapSeconds: 0.25, name: "lib_%02d.wav", path: { String(format: "\(directory)/lib_%02d.wav", $0) },
      onSegment: { heard.append($0) })
    _ = try AudioPipeline().run(.init(input), to: .init(.segments(segments)))
    try cli([input, "--segment", "1s", "--segment-overlap", "250ms", "-o", directory + "/cli_%02d.wav"])
    #expect(heard.count == 5)
    for index in 0..<heard.count {
      let name = String(format: "_%02d.wav", index)
      let library = readWholeFile(directory + "/lib" + name)
      #expect(!library.isEmpty)
      #expect(library == readWholeFile(directory + "/cli" + name), "segment \(index)")
    }
  }
}
