/// What the one resampling node (`Resampler`) dispatches to, as libsamplerate's `src_process`
/// dispatches through its `SRC_STATE_VT`: the node has checked the ratio, keeps the length rule
/// and the description's frame; an engine only turns input frames into output frames.
///
/// Calling sequence: `prepare` once for a checked ratio that is not the identity, then
/// `process` per block, `drain` once after the end of input, `reset` to reuse.
protocol ResamplingEngine {
  /// "libsamplerate medium", "libsoxr high": what converts, for `describe`.
  var name: String { get }
  /// What follows the rates in `describe` (", one thread"), or "".
  var detail: String { get }
  /// Every setting that shapes the output samples, canonical: "resampler=soxr/high".
  var fingerprint: String { get }
  /// Builds the engine's state for `ratio` (checked, not the identity) and `channels`.
  mutating func prepare(_ ratio: ResamplingRatio, channels: Int) throws
  /// Consumes all of `chunk` and replaces it with the frames the engine gives for it so far.
  /// `length` counts the input up to and including this chunk, and the frames emitted before it.
  mutating func process(_ chunk: inout AudioChunk, length: OutputLength) throws
  /// After the end of input: appends to `chunk` (empty, with the stream's channels) the frames
  /// still held, up to at least `length.expectedOutputFrames` where the filter reaches; the node
  /// trims what lies beyond and fills what is short with silence.
  mutating func drain(into chunk: inout AudioChunk, length: OutputLength) throws
  /// Clears history; keeps settings and allocations.
  mutating func reset()
  /// Adds what the engine counted (worker time) to the run's report.
  func contribute(to report: inout PipelineReport)
}

extension ResamplingEngine {
  var detail: String { "" }
  func contribute(to report: inout PipelineReport) {}
}
