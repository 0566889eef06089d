/// Counts frames in and out of the resampling node, and says how long its output must be:
/// the one length rule, for every engine.
struct OutputLength {
  let p: Int, q: Int
  var inputFrames = 0
  var outputFrames = 0

  init(_ ratio: ResamplingRatio) {
    (p, q) = (ratio.p, ratio.q)
  }

  /// ceil(n · p / q): the output instants k/outputRate that fall before the input's end.
  var expectedOutputFrames: Int { (inputFrames * p + q - 1) / q }
}
