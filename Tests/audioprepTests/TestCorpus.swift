import CSndFile
import Foundation
import XCTest

/// A generated corpus of small recordings in mixed formats, rates and channel counts, with two
/// corrupt files, one empty one and one text file, laid out in a tree.
struct TestCorpus {
  /// Good recordings, by relative path.
  var good: [String] = []
  /// Corrupt and empty files with audio extensions: each must fail.
  var bad: [String] = []
  let root: String

  var all: [String] { (good + bad).sorted() }

  static let formats: [(ext: String, format: Int32)] = [
    ("wav", Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)),
    ("flac", Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)),
    ("aiff", Int32(SF_FORMAT_AIFF | SF_FORMAT_PCM_24)),
    ("caf", Int32(SF_FORMAT_CAF | SF_FORMAT_FLOAT)),
    ("ogg", Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS)),
  ]
  static let rates = [8000, 16000, 22050, 44100, 48000, 11025]

  /// Writes `count` recordings of 0.1–0.3 s below `root`, plus the bad and ignored files.
  init(at root: String, count: Int = 41, longSeconds: Double = 0) throws {
    self.root = root
    for index in 0..<count {
      let (ext, format) = Self.formats[index % Self.formats.count]
      let rate = Self.rates[(index / 2) % Self.rates.count]
      let channels = 1 + index % 2
      let name = index == 0 ? "spk0/recording-without-extension" : "spk\(index % 4)/sess\(index % 3)/utt\(index).\(ext)"
      let seconds = 0.1 + 0.05 * Double(index % 5)
      try Self.writeTone(
        at: root + "/" + name, format: index == 0 ? Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16) : format, rate: rate,
        channels: channels, frames: Int(Double(rate) * seconds), frequencyHz: 200 + 10 * Double(index))
      good.append(name)
    }
    if longSeconds > 0 {
      for index in 0..<3 {
        let name = "zz-long/long\(index).wav"
        try Self.writeTone(
          at: root + "/" + name, format: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16), rate: 48000, channels: 2,
          frames: Int(48000 * longSeconds), frequencyHz: 300)
        good.append(name)
      }
    }
    try Self.write("this is not audio\n", to: root + "/spk1/corrupt.wav")
    try Self.write("fLaC\u{0}\u{0}\u{0}\u{22}garbage garbage garbage", to: root + "/spk2/corrupt.flac")
    try Self.write("", to: root + "/spk3/empty.wav")
    try Self.write("a transcript, not audio\n", to: root + "/spk0/notes.txt")
    bad = ["spk1/corrupt.wav", "spk2/corrupt.flac", "spk3/empty.wav"]
  }

  /// The output path batch mirrors `relative` to, below `directory`.
  static func outputPath(_ relative: String, in directory: String) -> String {
    let url = URL(fileURLWithPath: relative)
    let stem = url.pathExtension.isEmpty ? relative : String(relative.dropLast(url.pathExtension.count + 1))
    return directory + "/" + stem + ".wav"
  }

  static func write(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: false, encoding: .utf8)
  }

  static func writeTone(
    at path: String, format: Int32, rate: Int, channels: Int, frames: Int, frequencyHz: Double, amplitude: Double = 0.3
  ) throws {
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    var info = SF_INFO()
    info.samplerate = Int32(rate)
    info.channels = Int32(channels)
    info.format = format
    guard let file = sf_open(path, Int32(SFM_WRITE), &info) else {
      throw NSError(domain: "TestCorpus", code: 1, userInfo: [NSLocalizedDescriptionKey: "cannot write \(path)"])
    }
    var samples = [Float](repeating: 0, count: frames * channels)
    for frame in 0..<frames {
      let value = Float(amplitude * sin(2 * Double.pi * frequencyHz * Double(frame) / Double(rate)))
      for channel in 0..<channels { samples[frame * channels + channel] = channel == 0 ? value : -value * 0.5 }
    }
    _ = sf_writef_float(file, samples, sf_count_t(frames))
    sf_close(file)
  }

  /// Frames, rate and channels libsndfile reads from `path`; nil if it cannot open it.
  static func info(_ path: String) -> (frames: Int64, rate: Int, channels: Int)? {
    var info = SF_INFO()
    guard let file = sf_open(path, Int32(SFM_READ), &info) else { return nil }
    sf_close(file)
    return (info.frames, Int(info.samplerate), Int(info.channels))
  }
}

/// The records of a manifest, parsed with JSONSerialization (independently of audioprep's parser).
func manifestRecords(_ path: String) throws -> [[String: Any]] {
  let text = try String(contentsOfFile: path, encoding: .utf8)
  return try text.split(separator: "\n").map { line in
    try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
  }
}

/// Relative path → status, for a group of records.
func statuses(_ records: [[String: Any]]) -> [String: String] {
  var result: [String: String] = [:]
  for record in records {
    result[record["relative_path"] as? String ?? "?"] = record["status"] as? String ?? "?"
  }
  return result
}

/// Every regular file below `directory`, relative, sorted.
func filesBelow(_ directory: String) -> [String] {
  let enumerator = FileManager.default.enumerator(atPath: directory)
  var files: [String] = []
  while let path = enumerator?.nextObject() as? String {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
      files.append(path)
    }
  }
  return files.sorted()
}

/// Modification time in nanoseconds.
func modificationTime(_ path: String) -> Int {
  var status = stat()
  guard stat(path, &status) == 0 else { return -1 }
  return status.st_mtim.tv_sec * 1_000_000_000 + status.st_mtim.tv_nsec
}
