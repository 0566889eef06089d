/// Nodes run one after another over the same chunk.
public struct NodeChain: AudioNode {
  /// The stages, in order.
  public private(set) var nodes: [any AudioNode]
  /// The format each node emits, set by `prepare`.
  public private(set) var formats: [StreamFormat] = []

  public init(_ nodes: [any AudioNode]) { self.nodes = nodes }

  public mutating func prepare(_ input: StreamFormat) throws -> StreamFormat {
    var format = input
    formats = []
    for index in nodes.indices {
      format = try nodes[index].prepare(format)
      formats.append(format)
    }
    return format
  }

  public mutating func process(_ chunk: inout AudioChunk) throws {
    for index in nodes.indices { try nodes[index].process(&chunk) }
  }

  /// `process`, timing each node into `stages` (one entry per node, in order).
  public mutating func process(_ chunk: inout AudioChunk, timing stages: inout [StageStatistics]) throws {
    for index in nodes.indices {
      let started = monotonicSeconds()
      try nodes[index].process(&chunk)
      stages[index].record(monotonicSeconds() - started)
    }
  }

  /// Flushes each node in turn and runs what it releases through the nodes after it.
  public mutating func flush(_ chunk: inout AudioChunk) throws {
    for index in nodes.indices {
      var released = AudioChunk(channels: formats[index].channels)
      try nodes[index].flush(&released)
      if released.isEmpty { continue }
      for later in nodes.indices.dropFirst(index + 1) { try nodes[later].process(&released) }
      chunk.samples.append(contentsOf: released.samples)
    }
  }

  public mutating func reset() {
    for index in nodes.indices { nodes[index].reset() }
  }

  /// One line per node saying what it does (`AudioNode.describe`), e.g. "resample: libsamplerate
  /// medium, 44100 → 16000 Hz, one thread"; after `prepare`.
  public func describe(input: StreamFormat) -> [String] {
    zip(nodes, zip([input] + formats, formats)).map { $0.describe(input: $1.0, output: $1.1) }
  }

  public func describe(input: StreamFormat, output: StreamFormat) -> String { describe(input: input).joined(separator: "; ") }

  public var fingerprint: String { nodes.map(\.fingerprint).filter { !$0.isEmpty }.joined(separator: " ") }

  public func contribute(to report: inout PipelineReport) {
    for node in nodes { node.contribute(to: &report) }
  }
}
