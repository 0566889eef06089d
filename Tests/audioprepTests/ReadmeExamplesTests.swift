import Foundation
import TestSupport
import XCTest

/// Issue 21: the README's usage examples run as written, pasted in order into a fresh directory,
/// and write what their comments say. What cannot run here is a stand-in, said so:
/// `recognizer` and `whisper-cli` read standard input and discard it; `arecord` is FFmpeg's
/// 48 kHz s16le sine (one second of it). The inputs are the fixtures under the examples' names
/// (talk.m4a made by FFmpeg). README's usage block and docs/usage.md's synopsis so far; the rest of docs/ is still to do.
final class ReadmeExamplesTests: XCTestCase {
  /// The first ```sh block after `heading` in `file`.
  private func examples(in file: String, after heading: String) throws -> String {
    let readme = try String(contentsOfFile: repositoryDirectory + "/" + file, encoding: .utf8)
    let usage = try XCTUnwrap(readme.range(of: heading))
    let start = try XCTUnwrap(readme.range(of: "```sh\n", range: usage.upperBound..<readme.endIndex))
    let end = try XCTUnwrap(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
    return String(readme[start.upperBound..<end.lowerBound])
  }

  func testTheReadmeExamplesRunInOrder() throws {
    let directory = try run(try examples(in: "README.md", after: "## Usage"))
    // What the comments and names promise.
    for file in [
      "talk.16k.wav", "talk-nogain.wav", "talk.8k.wav", "talk.s24.flac", "talk_0000.wav", "talk.segments.jsonl",
      "corpus-16k/spk1/a.wav", "corpus-16k/manifest.jsonl", "out/manifest.3-of-10.jsonl",
    ] {
      XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/" + file), "\(file) was not written")
    }
  }

  func testTheUsageSynopsisExamplesRunInOrder() throws {
    let directory = try run(try examples(in: "docs/usage.md", after: "## Synopsis"))
    for file in ["talk.16k.wav", "talk-nogain.wav", "talk.s24.flac"] {
      XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/" + file), "\(file) was not written")
    }
  }

  /// Runs `examples` after the stand-ins and inputs in a fresh directory; returns the directory.
  private func run(_ examples: String) throws -> String {
    let directory = try scratchDirectory(self)
    let script = """
      set -euo pipefail
      export PATH="\(productsDirectory.path):$PATH"
      recognizer() { cat > /dev/null; }                # stand-in
      whisper-cli() { cat > /dev/null; }               # stand-in
      arecord() { ffmpeg -loglevel error -f lavfi -i sine=frequency=440:sample_rate=48000 -t 1 -ac 1 -f s16le -; }  # stand-in
      F="\(fixtures)"
      cp "$F/speech.flac" talk.flac; cp "$F/speech.mp3" talk.mp3; cp "$F/speech.wav" talk.wav; cp "$F/speech.ogg" talk.ogg
      ffmpeg -loglevel error -i "$F/speech.flac" -c:a aac talk.m4a
      mkdir -p corpus/spk1 corpus/spk2
      cp "$F/speech.flac" corpus/spk1/a.flac; cp "$F/stereo44k.wav" corpus/spk2/b.wav; cp "$F/mono16k.wav" corpus/spk2/c.wav
      \(examples)
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", script]
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0, stderr)
    return directory
  }
}
