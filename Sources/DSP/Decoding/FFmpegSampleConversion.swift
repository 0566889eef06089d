import CFFmpeg

/// Decoded FFmpeg frames to interleaved Float32, exactly as libswresample converts them for
/// `ffmpeg -f f32le` (`audioconvert.c`): s16 × 2^-15, s32 × 2^-31 (rounded to Float first),
/// s64 × 2^-63, (u8 − 128) × 2^-7, double rounded to Float; planar or packed.
enum FFmpegSampleConversion {
  /// Whether a sample format holds floating-point samples (which may be NaN or ±Inf).
  static func isFloat(_ format: Int32) -> Bool {
    [AV_SAMPLE_FMT_FLT, AV_SAMPLE_FMT_FLTP, AV_SAMPLE_FMT_DBL, AV_SAMPLE_FMT_DBLP].contains { $0.rawValue == format }
  }

  /// Writes `frames` × `channels` interleaved samples of `frame` into `destination`; false for
  /// a sample format it does not know.
  static func interleave(
    _ frame: UnsafePointer<AVFrame>, frames: Int, channels: Int, into destination: UnsafeMutableBufferPointer<Float>
  ) -> Bool {
    let planes = frame.pointee.extended_data!
    switch frame.pointee.format {
    case AV_SAMPLE_FMT_U8.rawValue: copy(planes, UInt8.self, planar: false, frames, channels, destination) { Float(Int32($0) - 0x80) * (1 / 128) }
    case AV_SAMPLE_FMT_U8P.rawValue: copy(planes, UInt8.self, planar: true, frames, channels, destination) { Float(Int32($0) - 0x80) * (1 / 128) }
    case AV_SAMPLE_FMT_S16.rawValue: copy(planes, Int16.self, planar: false, frames, channels, destination) { Float($0) * (1 / 32768) }
    case AV_SAMPLE_FMT_S16P.rawValue: copy(planes, Int16.self, planar: true, frames, channels, destination) { Float($0) * (1 / 32768) }
    case AV_SAMPLE_FMT_S32.rawValue: copy(planes, Int32.self, planar: false, frames, channels, destination) { Float($0) * (1 / 2_147_483_648) }
    case AV_SAMPLE_FMT_S32P.rawValue: copy(planes, Int32.self, planar: true, frames, channels, destination) { Float($0) * (1 / 2_147_483_648) }
    case AV_SAMPLE_FMT_S64.rawValue: copy(planes, Int64.self, planar: false, frames, channels, destination) { Float($0) * (1 / 9_223_372_036_854_775_808) }
    case AV_SAMPLE_FMT_S64P.rawValue: copy(planes, Int64.self, planar: true, frames, channels, destination) { Float($0) * (1 / 9_223_372_036_854_775_808) }
    case AV_SAMPLE_FMT_FLT.rawValue: copy(planes, Float.self, planar: false, frames, channels, destination) { $0 }
    case AV_SAMPLE_FMT_FLTP.rawValue: copy(planes, Float.self, planar: true, frames, channels, destination) { $0 }
    case AV_SAMPLE_FMT_DBL.rawValue: copy(planes, Double.self, planar: false, frames, channels, destination) { Float($0) }
    case AV_SAMPLE_FMT_DBLP.rawValue: copy(planes, Double.self, planar: true, frames, channels, destination) { Float($0) }
    default: return false
    }
    return true
  }

  @inline(__always)
  private static func copy<Sample>(
    _ planes: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, _ type: Sample.Type, planar: Bool,
    _ frames: Int, _ channels: Int, _ destination: UnsafeMutableBufferPointer<Float>, _ convert: (Sample) -> Float
  ) {
    let out = destination.baseAddress!
    if planar {
      for channel in 0..<channels {
        let plane = UnsafeRawPointer(planes[channel]!).assumingMemoryBound(to: Sample.self)
        for index in 0..<frames { out[index * channels + channel] = convert(plane[index]) }
      }
    } else {
      let packed = UnsafeRawPointer(planes[0]!).assumingMemoryBound(to: Sample.self)
      for index in 0..<frames * channels { out[index] = convert(packed[index]) }
    }
  }
}
