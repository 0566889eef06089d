import Foundation
import TestSupport
import XCTest

/// Issue 21: the README's usage examples run as written, pasted in order into a fresh directory,
/// and write what their comments say. What cannot run here is a stand-in, said so:
/// `recognizer` and `whisper-cli` read standard input and discard it; `arecord` is FFmpeg's
/// 48 kHz s16le sine (one second of it). The inputs are the fixtures under the examples' names
/// (talk.m4a made by FFmpeg). The README's usage block, and every ```sh block of docs/usage.md,
/// manifests.md and batch-and-clusters.md but those that say why they cannot run here.
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
    for file in ["talk.16k.wav", "talk-gain1.wav", "talk-s24.flac"] {
      XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/" + file), "\(file) was not written")
    }
  }

  /// The README's and docs/usage.md's examples, pasted one after the other, write no file twice
  /// (review32h C4: both wrote talk.s24.flac, and the second stopped with 73).
  func testTheReadmeAndUsageExamplesWriteDifferentFiles() throws {
    let outputs = { (examples: String) -> Set<String> in
      let words = examples.split(whereSeparator: \.isWhitespace).map(String.init)
      return Set(zip(words, words.dropFirst()).filter { $0.0 == "-o" && $0.1 != "-" }.map(\.1))
    }
    let readme = outputs(try examples(in: "README.md", after: "## Usage"))
    let usage = outputs(try examples(in: "docs/usage.md", after: "## Synopsis"))
    XCTAssertFalse(readme.isEmpty || usage.isEmpty)
    XCTAssertEqual(readme.intersection(usage), Set<String>(), "both write these")
  }

  /// Every ```sh block of `file`, in order, but those marked `<!-- not run: WHY -->` on the
  /// line before their fence (a synopsis, a recipe that needs Slurm or a recognizer's model).
  private func allExamples(in file: String) throws -> [String] {
    let lines = try String(contentsOfFile: repositoryDirectory + "/" + file, encoding: .utf8)
      .split(separator: "\n", omittingEmptySubsequences: false)
    var blocks: [String] = []
    var index = 0
    while index < lines.count {
      guard lines[index] == "```sh" else { index += 1; continue }
      let skipped = index > 0 && lines[index - 1].hasPrefix("<!-- not run:")
      var block: [Substring] = []
      index += 1
      while index < lines.count, !lines[index].hasPrefix("```") {
        block.append(lines[index])
        index += 1
      }
      if !skipped { blocks.append(block.joined(separator: "\n")) }
      index += 1
    }
    return blocks
  }

  /// Every example in docs/ runs as written, each block in a fresh directory (as a reader
  /// pastes one), with the same stand-ins and inputs as the README's (#21). A block that cannot
  /// run here says why on the line before it.
  func testEveryDocsExampleRuns() throws {
    for file in ["docs/usage.md", "docs/manifests.md", "docs/batch-and-clusters.md"] {
      let blocks = try allExamples(in: file)
      XCTAssertFalse(blocks.isEmpty, file)
      for (number, block) in blocks.enumerated() {
        _ = try run(block, context: "\(file), example \(number + 1): \(block.prefix(80))")
      }
    }
  }

  /// Runs `examples` after the stand-ins and inputs in a fresh directory; returns the directory.
  private func run(_ examples: String, context: String = "README") throws -> String {
    let directory = try scratchDirectory(self)
    let script = """
      set -euo pipefail
      export PATH="\(audioprepDirectory):$PATH"
      recognizer() { cat > /dev/null; }                # stand-in
      whisper-cli() { cat > /dev/null; }               # stand-in
      arecord() { ffmpeg -loglevel error -f lavfi -i sine=frequency=440:sample_rate=48000 -t 1 -ac 1 -f s16le -; }  # stand-in
      F="\(fixtures)"
      cp "$F/speech.flac" talk.flac; cp "$F/speech.mp3" talk.mp3; cp "$F/speech.wav" talk.wav; cp "$F/speech.ogg" talk.ogg
      ffmpeg -loglevel error -i "$F/speech.flac" -c:a aac talk.m4a
      mkdir -p corpus/spk1 corpus/spk2
      cp "$F/speech.flac" corpus/spk1/a.flac; cp "$F/stereo44k.wav" corpus/spk2/b.wav; cp "$F/mono16k.wav" corpus/spk2/c.wav
      cp "$F/speech.flac" long.flac; cp "$F/speech.flac" in.flac
      mkdir -p Golden; "\(audioprepPath)" talk.flac -o Golden/talk.16k.wav -q
      \(examples)
      """
    let result = try bash(script, in: directory, timeLimit: 300)
    XCTAssertEqual(result.status, 0, "\(context): \(result.summary): \(result.stderr)")
    return directory
  }
}
