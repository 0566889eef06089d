import DSP
import Foundation
import TestSupport
import XCTest

/// review48 H05: an MP3 without an Info header, or an MP2, longer than a pipe's 4 MiB window and
/// cut inside its last frame: from a file every decoder said the last frame runs past the
/// input's end; from standard input none did (its frames were walked only within the window).
/// The frames a pipe's bytes are walked by as they pass (`MPEGFormatWalk`) say it now, from a
/// pipe as from the file, with the same samples.
final class MPEGCutPastThePipeWindowTests: XCTestCase {
  func testAStreamCutInItsLastFramePastTheWindowIsSaidFromAPipeAsFromAFile() throws {
    let directory = try scratchDirectory(self)
    let wav = directory + "/long.wav"
    let made = try spawn(try MadeInputs.tool("sox"), ["-n", "-r", "44100", "-c", "2", wav, "synth", "110", "sine", "300:3000", "sine", "440", "gain", "-12"])
    XCTAssertEqual(made.status, 0, made.stderr)
    var failures: [String] = []
    for (name, arguments) in [
      ("long.mp2", ["-c:a", "mp2", "-b:a", "384k"]),
      ("bare.mp3", ["-c:a", "libmp3lame", "-b:a", "320k", "-write_xing", "0", "-id3v2_version", "0"]),
    ] {
      let whole = directory + "/" + name
      _ = try MadeInputs.ffmpeg(["-i", wav] + arguments + [whole])
      let bytes = readWholeFile(whole)
      XCTAssertGreaterThan(bytes.count, 4 << 20, "\(name): the premise, past a pipe's window")
      let path = directory + "/cut-" + name
      try Data(bytes.dropLast(100)).write(to: URL(fileURLWithPath: path))
      let ways = decodeEveryWay(path)
      for way in ways {
        switch way.outcome {
        case .success(let decoded) where decoded.warning?.contains("runs past the input's end") == true: break
        case .success(let decoded): failures.append("\(name), \(way.label): \(decoded.samples.count) samples, \(decoded.warning ?? "no warning")")
        case .failure(let error): failures.append("\(name), \(way.label): \(error)")
        }
      }
      // review52 H1: cut one to three bytes into a header (here two bytes of the next one, after
      // the whole stream): the file said so, a pipe did not.
      let inHeader = directory + "/header-" + name
      try Data(bytes + [0xFF, bytes[1]]).write(to: URL(fileURLWithPath: inHeader))
      for way in decodeEveryWay(inHeader, decoders: [.auto]) where way.samples == nil || (try? way.outcome.get().warning)??.contains("runs past the input's end") != true {
        failures.append("\(name) and two bytes of a header, \(way.label): \(way.outcome)")
      }
      for decoder in AudioDecoder.allCases {
        let (file, pipe) = (ways.first { $0.decoder == decoder && !$0.throughAPipe }!, ways.first { $0.decoder == decoder && $0.throughAPipe }!)
        if file.samples != pipe.samples { failures.append("\(name), --decoder \(decoder.rawValue): the file's samples and the pipe's differ") }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}
