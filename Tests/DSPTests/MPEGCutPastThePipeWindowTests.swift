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
  /// Each stream is mono, the MP2 at 32 kHz and the MP3 at 44.1 kHz (frames with and without a
  /// padding byte), at the highest bit rate: 110 s make over 4 MiB in the fewest samples (the
  /// 76 decodes of two 44.1 kHz stereo streams took 140 s of CI).
  func testAnMP2CutInItsLastFramePastTheWindowIsSaidFromAPipeAsFromAFile() throws {
    try checkACutPastTheWindow("long.mp2", rate: 32000, ["-c:a", "mp2", "-b:a", "384k"])
  }

  func testAnMP3CutInItsLastFramePastTheWindowIsSaidFromAPipeAsFromAFile() throws {
    try checkACutPastTheWindow("bare.mp3", rate: 44100, ["-c:a", "libmp3lame", "-b:a", "320k", "-write_xing", "0", "-id3v2_version", "0"])
  }

  private func checkACutPastTheWindow(_ name: String, rate: Int, _ arguments: [String]) throws {
    let directory = try scratchDirectory(self)
    let wav = directory + "/long.wav"
    try MadeInputs.synth(wav, rate: rate, channels: 1, ["110", "sine", "300:3000", "gain", "-12"])
    var failures: [String] = []
    do {
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
      failures += fileAndPipeDisagree(ways, name)
      // review52 H2, W2: cut inside the last frame, then an ID3v1 tag (empty, or with its
      // fields), whose first bytes the cut frame takes for its own: the file said the frame
      // ends in 0x00 padding (empty tag) or nothing (a title), a pipe nothing.
      let title = Array("TAG".utf8) + Array("A title".utf8) + [UInt8](repeating: 0, count: 118)
      for (tagName, tag) in [("an empty tag", Array("TAG".utf8) + [UInt8](repeating: 0, count: 125)), ("a titled tag", title)] {
        let tagged = directory + "/tagged-" + name
        try Data(bytes.dropLast(100) + tag).write(to: URL(fileURLWithPath: tagged))
        let ways = decodeEveryWay(tagged)
        for way in ways where (try? way.outcome.get().warning)??.contains("runs into the ID3v1 tag") != true {
          failures.append("\(name), cut, \(tagName), \(way.label): \(way.outcome.map(\.warning))")
        }
        failures += fileAndPipeDisagree(ways, "\(name), cut, \(tagName)")
      }
      // review53 H7: the same past the window, before an APEv2 tag of 10 KB and an ID3v1 tag
      // (the tag's start is beyond the last bytes a pipe's walk keeps; its footer is not).
      let apeTagged = directory + "/ape-" + name
      try Data(bytes.dropLast(100) + MPEGCutIntoEndTagsTests.ape(10_000) + MPEGCutIntoEndTagsTests.id3v1).write(to: URL(fileURLWithPath: apeTagged))
      let apeWays = decodeEveryWay(apeTagged, decoders: [.auto])
      for way in apeWays where (try? way.outcome.get().warning)??.contains("runs into the APEv2 tag") != true {
        failures.append("\(name), cut, an APEv2 tag, \(way.label): \(way.outcome.map(\.warning))")
      }
      failures += fileAndPipeDisagree(apeWays, "\(name), cut, an APEv2 tag", decoders: [.auto])
      // review52 W1: the whole stream and zeros after it, or the start of a tag: FFmpeg from a
      // pipe said "the decoder reported 1 error", from the file nothing; a whole stream and its
      // tag: nothing, every way. (A few other bytes after it a pipe's walk cannot tell from the
      // rest of a frame a damaged header sent it past: review53 H1. The pipe says the error.)
      var noise = SystemRandomNumberGenerator()
      // review55 W1: an APEv2 tag without its header (its items first) was called damaged by
      // FFmpeg from a pipe.
      let footerOnly = MPEGCutIntoEndTagsTests.miscountedAPE().last!.bytes
      for (tailName, tail) in [
        ("1000 zeros", [UInt8](repeating: 0, count: 1000)), ("the start of a tag", Array("TAG".utf8)), ("a titled tag", title), ("an APEv2 tag with no header", footerOnly),
        // review53 W7: more than 4 KiB of zeros, then a tag, were "neither MPEG frames nor a tag".
        ("5000 zeros and a titled tag", [UInt8](repeating: 0, count: 5000) + title),
      ] {
        let followed = directory + "/followed-" + name
        try Data(bytes + tail).write(to: URL(fileURLWithPath: followed))
        for way in decodeEveryWay(followed, decoders: [.auto, .ffmpeg]) where way.samples == nil || (try? way.outcome.get().warning) != nil {
          failures.append("\(name) and \(tailName), \(way.label): \(way.outcome.map(\.warning))")
        }
      }
      // review53 H1: errors after the frames a pipe's walk counted are the trailing bytes' only
      // when those are padding or a tag: damage in the last frames (a raised bit rate), a last
      // frame cut and padded with 0x00 past its end, or other bytes after it, still said.
      // review53 H3: libsndfile's reading said the same from the file, nothing from a pipe, nor
      // of a hole mid-stream (390 bytes gone, inside the window) or a last header whose bit-rate
      // index is no bit rate's: the pipe's walk looks at what follows where it lost the frames.
      let starts = Self.frameStarts(bytes)
      let last = starts[starts.count - 1]
      var raised = bytes
      raised[starts[starts.count - 2] + 2] ^= 0x10
      let cut = Array(bytes[..<(last + (bytes.count - last) / 2)])
      let middle = starts[starts.count / 2]
      var lastHeaderDamaged = bytes
      lastHeaderDamaged[last + 2] |= 0xF0
      // review57 H1: the first frame's header overwritten (no frame walked before the loss).
      var firstHeaderDamaged = bytes
      firstHeaderDamaged.replaceSubrange(0..<4, with: [0, 0, 0, 0])
      // review58 M4: more bytes inserted mid-stream than the pipe's walk keeps after a loss
      // (64 KiB): "neither MPEG frames nor a tag", and where libmpg123 stops there, half the
      // audio kept. FFmpeg now decodes on from the pipe as from the file, from a frame before
      // the loss the pipe's tail still holds.
      let inserted = Array(bytes[..<middle]) + [UInt8](repeating: 0, count: 70_000) + Array(bytes[middle...])
      let other = (0..<3000).map { _ in UInt8.random(in: 0...0xFF, using: &noise) }
      let junk = Array(bytes[..<middle]) + other + Array(bytes[middle...])
      // review59 H2: the loss among the last bytes read when libsndfile stopped (here the
      // window's last 2 KiB), the frames after it not yet seen; H5: a hole libmpg123 decodes
      // over, then a loss where it stops.
      let nearTheEnd = starts.first { $0 > (4 << 20) - 2048 }!
      let atTheWindowsEnd = Array(bytes[..<nearTheEnd]) + other + Array(bytes[nearTheEnd...])
      let early = starts[starts.count / 8]
      let twice = Array(bytes[..<early]) + Array(bytes[(early + 500)..<middle]) + other + Array(bytes[middle...])
      let pastTheWindow = starts.first { $0 > (4 << 20) + 200_000 }!
      let late = Array(bytes[..<pastTheWindow]) + other + Array(bytes[pastTheWindow...])
      for (damageName, damaged) in [
        ("the second-to-last frame's bit rate raised", raised), ("cut, then 0x00 past the frame's end", cut + [UInt8](repeating: 0, count: bytes.count - last)),
        ("cut, then 5000 other bytes", cut + (0..<5000).map { _ in UInt8.random(in: 0...0x7F, using: &noise) }),
        ("390 bytes gone mid-stream", Array(bytes[..<(middle + 10)] + bytes[(middle + 400)...])), ("the last header's bit rate index 15", lastHeaderDamaged),
        ("the first header zeroed", firstHeaderDamaged), ("70000 zeros inserted mid-stream", inserted), ("3000 other bytes inserted mid-stream", junk),
        ("3000 other bytes inserted 2 KiB before the window's end", atTheWindowsEnd), ("500 bytes gone, then 3000 other bytes inserted", twice),
        ("3000 other bytes inserted past the window", late),
      ] {
        let path = directory + "/damaged-" + name
        try Data(damaged).write(to: URL(fileURLWithPath: path))
        // (review58 M5: `--decoder sndfile` too, which never hands over to FFmpeg; libsndfile
        // alone does not recognise a pipe whose first header is zeroed: refused, 65.)
        let ways = decodeEveryWay(path, decoders: damaged == firstHeaderDamaged ? [.auto, .ffmpeg] : AudioDecoder.allCases)
        for way in ways where (try? way.outcome.get().warning)??.hasPrefix("damaged") != true {
          failures.append("\(name), \(damageName), \(way.label): \(way.outcome.map(\.warning))")
        }
        // (An MP2 is not started again past the window, where FFmpeg's layer II synthesis
        // would lack its dither state: the pipe says so, also where FFmpeg would have found no
        // more.)
        let mp2PastTheWindow = rate == 32000 && !["mid-stream", "first header", "gone, then"].contains { damageName.contains($0) }
        failures += fileAndPipeDisagree(ways, "\(name), \(damageName)", decoders: damaged == firstHeaderDamaged ? [.auto, .ffmpeg] : AudioDecoder.allCases)
          .filter { !mp2PastTheWindow || !$0.contains("FFmpeg cannot decode on from a pipe") }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }

  /// review58 M1: an MP3 with an Info header, 3000 other bytes inserted mid-stream, where
  /// libmpg123 stops: from a pipe "truncated: … the input holds" half, no word of the loss.
  /// Inside the window FFmpeg decodes on from the pipe's first byte, as from the file; past it,
  /// where a stream started again would lack the Info header's trim, the pipe says why it kept
  /// less.
  func testAnMP3WithAnInfoHeaderAndBytesInsertedDecodesOnFromAPipeOrSaysWhyNot() throws {
    let directory = try scratchDirectory(self)
    let wav = directory + "/long.wav"
    try MadeInputs.synth(wav, rate: 44100, channels: 1, ["110", "sine", "300:3000", "gain", "-12"])
    let whole = directory + "/info.mp3"
    _ = try MadeInputs.ffmpeg(["-i", wav, "-c:a", "libmp3lame", "-b:a", "320k", "-id3v2_version", "0", whole])
    let bytes = readWholeFile(whole)
    let starts = Self.frameStarts(bytes)
    var noise = SystemRandomNumberGenerator()
    let junk = (0..<3000).map { _ in UInt8.random(in: 0...0xFF, using: &noise) }
    var failures: [String] = []
    for (placeName, at) in [("mid-stream", starts[starts.count / 2]), ("past the window", starts.first { $0 > (4 << 20) + 100_000 }!)] {
      let path = directory + "/inserted.mp3"
      try Data(Array(bytes[..<at]) + junk + Array(bytes[at...])).write(to: URL(fileURLWithPath: path))
      let ways = decodeEveryWay(path, decoders: [.auto])
      if placeName == "mid-stream" {
        failures += fileAndPipeDisagree(ways, "3000 bytes inserted \(placeName)", decoders: [.auto])
      } else if let pipe = ways.first(where: \.throughAPipe), (try? pipe.outcome.get().warning)??.contains("lose their sync at byte \(at)") != true
        || (try? pipe.outcome.get().warning)??.contains("FFmpeg cannot decode on from a pipe") != true
      {
        failures.append("3000 bytes inserted \(placeName), a pipe: \(pipe.outcome.map(\.warning))")
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }

  /// review53 W1: "TAG" where an ID3v1 tag would start, in an untagged stream's last frame that
  /// ends at the input's end, is the frame's own bytes: nothing is said.
  func testTagBytesInsideALastFrameThatEndsTheInputAreAudio() throws {
    let directory = try scratchDirectory(self)
    let wav = directory + "/short.wav"
    try MadeInputs.synth(wav, rate: 44100, channels: 2, ["5", "sine", "440", "gain", "-12"])
    var failures: [String] = []
    for (name, arguments) in [("short.mp2", ["-c:a", "mp2", "-b:a", "384k"]), ("short.mp3", ["-c:a", "libmp3lame", "-b:a", "320k", "-write_xing", "0", "-id3v2_version", "0"])] {
      let whole = directory + "/" + name
      _ = try MadeInputs.ffmpeg(["-i", wav] + arguments + [whole])
      var bytes = readWholeFile(whole)
      XCTAssertGreaterThan(bytes.count - Self.frameStarts(bytes).last!, 128, "\(name): the premise, a last frame longer than a tag")
      bytes.replaceSubrange(bytes.count - 128..<bytes.count - 125, with: Array("TAG".utf8))
      let path = directory + "/tag-bytes-" + name
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      for way in decodeEveryWay(path) where way.samples == nil || (try? way.outcome.get().warning) != nil {
        failures.append("\(name), \(way.label): \(way.outcome.map(\.warning))")
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }

  /// review59 H3: a stream past the pipe's window, then more than 64 MiB of bytes that are not
  /// frames: the pipe's end checks stopped reading 64 MiB past the loss and said nothing (exit
  /// 0; the writer got SIGPIPE), where the file said what the bytes are. The pipe now says what
  /// the bytes it read are, and that it read no further (with the stream again after them too,
  /// which the file decodes on through FFmpeg).
  func testAStreamThenMoreThan64MiBOfOtherBytesIsSaidFromAPipeAsFromAFile() throws {
    let directory = try scratchDirectory(self)
    let wav = directory + "/long.wav"
    try MadeInputs.synth(wav, rate: 44100, channels: 1, ["110", "sine", "300:3000", "gain", "-12"])
    let whole = directory + "/bare.mp3"
    _ = try MadeInputs.ffmpeg(["-i", wav, "-c:a", "libmp3lame", "-b:a", "320k", "-write_xing", "0", "-id3v2_version", "0", whole])
    let stream = readWholeFile(whole)
    XCTAssertGreaterThan(stream.count, 4 << 20, "the premise, past a pipe's window")
    // 72 MiB of bytes from a fixed xorshift generator: no two frame headers a frame apart.
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var block = [UInt8](repeating: 0, count: 1 << 20)
    block.withUnsafeMutableBytes { raw in
      for word in 0..<(raw.count / 8) {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        raw.storeBytes(of: state, toByteOffset: word * 8, as: UInt64.self)
      }
    }
    var junk: [UInt8] = []
    junk.reserveCapacity(72 << 20)
    for _ in 0..<72 { junk += block }
    var failures: [String] = []
    let path = directory + "/junk-after.mp3"
    try Data(stream + junk).write(to: URL(fileURLWithPath: path))
    // What the bytes after the stream are, from the byte they begin at: all of them (the file),
    // or as far as the pipe was read (64 MiB past where the decoder stopped, so that a producer
    // that never stops cannot hold the run).
    let said = { (way: DecodedWay) in (try? way.outcome.get().warning) ?? nil }
    let atTheLoss = "from byte \(stream.count) on are neither MPEG frames nor a tag"
    let ways = decodeEveryWay(path, decoders: [.auto, .sndfile])
    for way in ways where said(way)?.contains(atTheLoss) != true || (way.throughAPipe && said(way)?.contains("the pipe was read no further") != true) {
      failures.append("junk after the stream, \(way.label): \(way.outcome.map(\.warning))")
    }
    for decoder in [AudioDecoder.auto, .sndfile] where Set(ways.filter { $0.decoder == decoder }.map(\.samples)).count != 1 {
      failures.append("junk after the stream, --decoder \(decoder.rawValue): the file's and the pipe's samples differ")
    }
    // review61 W2: as many zeros are padding, from the pipe as from the file (the pipe said
    // "neither MPEG frames nor a tag, and the pipe was read no further").
    try Data(stream + [UInt8](repeating: 0, count: 72 << 20)).write(to: URL(fileURLWithPath: path))
    failures += fileAndPipeDisagree(decodeEveryWay(path, decoders: [.auto]), "zeros after the stream", decoders: [.auto])
    try Data(stream + junk + stream).write(to: URL(fileURLWithPath: path))
    for way in decodeEveryWay(path, decoders: [.auto]) where way.throughAPipe && said(way)?.contains(atTheLoss) != true {
      failures.append("junk between two streams, \(way.label): \(way.outcome.map(\.warning))")
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }

  /// Where the frames of an MPEG-1 Layer II or III stream with no tag before it start, by their
  /// headers' lengths (144 × bit rate / rate, and the padding byte).
  private static func frameStarts(_ bytes: [UInt8]) -> [Int] {
    let rates = [44100, 48000, 32000]
    var starts: [Int] = []
    var at = 0
    while at + 4 <= bytes.count, bytes[at] == 0xFF, bytes[at + 1] & 0xE0 == 0xE0 {
      let layer = 4 - Int(bytes[at + 1] >> 1 & 3)
      let bitRates = layer == 2 ? [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384] : [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
      let bitRate = bitRates[Int(bytes[at + 2] >> 4)] * 1000
      starts.append(at)
      at += 144 * bitRate / rates[Int(bytes[at + 2] >> 2 & 3)] + Int(bytes[at + 2] >> 1 & 1)
    }
    return starts
  }

  /// Each decoder's file and pipe that gave other samples or other words.
  private func fileAndPipeDisagree(_ ways: [DecodedWay], _ name: String, decoders: [AudioDecoder] = AudioDecoder.allCases) -> [String] {
    decoders.compactMap { decoder in
      let (file, pipe) = (ways.first { $0.decoder == decoder && !$0.throughAPipe }!, ways.first { $0.decoder == decoder && $0.throughAPipe }!)
      let words = { (way: DecodedWay) in (try? way.outcome.get().warning) ?? nil }
      guard file.samples != pipe.samples || words(file) != words(pipe) else { return nil }
      return "\(name), --decoder \(decoder.rawValue): the file's \(file.samples?.count ?? -1) samples (\(words(file) ?? "no warning")) and the pipe's \(pipe.samples?.count ?? -1) (\(words(pipe) ?? "no warning")) differ"
    }
  }
}
