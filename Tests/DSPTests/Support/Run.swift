import DSP

/// Runs the library pipeline over samples held in memory.
func runPipeline(
  _ samples: [Float], format: StreamFormat, configure: (inout PipelineConfiguration) -> Void = { _ in },
  sink: MemorySink = MemorySink()
) throws -> (samples: [Float], report: PipelineReport, sink: MemorySink) {
  var configuration = PipelineConfiguration()
  configure(&configuration)
  let report = try Pipeline.run(
    source: MemorySource(samples: samples, format: format), sink: sink, configuration: configuration)
  return (sink.samples, report, sink)
}

/// The largest |a[i] − b[i]|; infinity when the lengths differ.
func maxAbsDifference(_ a: [Float], _ b: [Double]) -> Double {
  guard a.count == b.count else { return .infinity }
  return zip(a, b).reduce(0) { max($0, abs(Double($1.0) - $1.1)) }
}
