import CSndFile
import Foundation
import XCTest

/// Reads a whole (small) file with libsndfile directly, for checking what was written.
func readSoundFile(_ path: String) throws -> (samples: [Float], rate: Int, channels: Int, format: Int32) {
  var info = SF_INFO()
  guard let file = sf_open(path, Int32(SFM_READ), &info) else {
    throw XCTSkip("cannot open \(path): \(String(cString: sf_strerror(nil)))")
  }
  defer { sf_close(file) }
  var samples: [Float] = []
  var block = [Float](repeating: 0, count: 4096 * Int(info.channels))
  while true {
    let frames = block.withUnsafeMutableBufferPointer { sf_readf_float(file, $0.baseAddress, 4096) }
    if frames <= 0 { break }
    samples += block.prefix(Int(frames) * Int(info.channels))
  }
  return (samples, Int(info.samplerate), Int(info.channels), info.format)
}

/// Writes mono `samples` at `rate` with libsndfile directly, in `format` (an `SF_FORMAT_*`
/// container and encoding).
func writeSoundFile(_ path: String, samples: [Float], rate: Int, format: Int32) throws {
  var info = SF_INFO()
  info.samplerate = Int32(rate)
  info.channels = 1
  info.format = format
  guard let file = sf_open(path, Int32(SFM_WRITE), &info) else {
    throw XCTSkip("libsndfile cannot write \(path): \(String(cString: sf_strerror(nil)))")
  }
  let written = samples.withUnsafeBufferPointer { sf_writef_float(file, $0.baseAddress, Int64(samples.count)) }
  sf_close(file)
  XCTAssertEqual(written, Int64(samples.count), path)
}
