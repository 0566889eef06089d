/// One streaming stage: prepare once, process many, flush once, reset to reuse.
///
/// The contract follows SoX's effect handler (start / flow / drain / stop) and JUCE's processors
/// (prepare / process / reset). A node transforms a chunk in place; a node that changes the
/// number of frames (downmix, resampler) swaps in its own scratch storage, so nothing is
/// allocated per block once buffers have grown.
public protocol AudioNode {
  /// A short stage name for statistics ("downmix", "resample", …).
  var stageName: String { get }
  /// Checks the input format, allocates, and returns the format this node emits.
  mutating func prepare(_ input: StreamFormat) throws -> StreamFormat
  /// Replaces `chunk` with this node's output for it (possibly more or fewer frames).
  mutating func process(_ chunk: inout AudioChunk) throws
  /// Appends to `chunk` whatever the node still holds after the end of input.
  mutating func flush(_ chunk: inout AudioChunk) throws
  /// Clears history; keeps configuration and allocations.
  mutating func reset()
  /// One line saying what the node does to a stream of `input` (emitting `output`), for `info`:
  /// "gain: ×1.5".
  func describe(input: StreamFormat, output: StreamFormat) -> String
  /// Every parameter that shapes the node's output samples, canonical, for the batch
  /// fingerprint: "gain=1.5". What never changes the samples (threads, block sizes) is left out.
  var fingerprint: String { get }
  /// Adds what the node counted to the run's report, once the run is over (the float repair's
  /// counts, a resampler's worker time).
  func contribute(to report: inout PipelineReport)
}

extension AudioNode {
  /// The type's name, lowercased. audioprep's own nodes name themselves: this default costs the
  /// Swift runtime four scans of every conformance record per node type (issue 22).
  public var stageName: String { String(describing: type(of: self)).lowercased() }

  /// Most nodes hold nothing back.
  public mutating func flush(_ chunk: inout AudioChunk) throws {}

  public func describe(input: StreamFormat, output: StreamFormat) -> String { stageName }

  /// Most nodes count nothing.
  public func contribute(to report: inout PipelineReport) {}
}
