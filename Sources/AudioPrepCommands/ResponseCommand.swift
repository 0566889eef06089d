import ArgumentParser
import DSP

/// `audioprep response`: the configured chain's frequency response as SVG and/or CSV.
struct ResponseCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "response",
    abstract: "Plot the chain's magnitude and phase response (SVG) or list it (CSV).",
    // The synopsis argument-parser writes is wider than 80 columns: this one fits.
    usage: "audioprep response [<options>] [--svg <path>] [--csv <path>]",
    discussion: """
      The high-pass and gain come from their formulas; the resampler's passband
      and stopband are measured by sending sines through the real converter at
      --input-rate.

      EXAMPLES
        audioprep response --svg chain.svg
        audioprep response --q-linear 0.7071 --input-rate 48000 --csv -
      """)

  @OptionGroup(title: "Processing") var chain: ChainShapeOptions

  @Option(name: .customLong("input-rate"), parsing: .unconditional, help: ArgumentHelp("Input rate the resampler is measured at: 44100, 44.1k (default: 44100).", valueName: "hz"), transform: SampleRateArgument.hertz)
  var inputRate = 44100

  @Option(help: ArgumentHelp("Write the plot as SVG to this file.", valueName: "path"), completion: .file())
  var svg: String?

  @Option(help: ArgumentHelp("Write the numbers as CSV to this file, or - for standard output.", valueName: "path"), completion: .file())
  var csv: String?

  @Flag(help: "Replace existing --svg and --csv files.")
  var force = false

  mutating func validate() throws {
    guard (1000...768_000).contains(inputRate) else { throw ValidationError("--input-rate must lie between 1000 and 768000 Hz") }
  }

  func run() throws {
    let response: FrequencyResponse
    do {
      response = try FrequencyResponse.compute(configuration: chain.configuration, inputRate: inputRate)
    } catch {
      printError("audioprep: response: \(error)")
      throw ExitCode(ExitStatus.usage)
    }
    TemporaryFiles.install(.exitAtOnce)
    let plot = ResponsePlot(response: response)
    // Both files, or neither: a plot whose table cannot be written is taken back, and an
    // earlier plot it replaced comes back.
    let committed = CommittedOutputs()
    do {
      try DistinctOutputs.check([svg, csv].compactMap { $0 }.map { .file($0) })
      let svgOutput = try svg.map { try openTextOutput($0, overwrite: force) }
      let csvOutput = try csv.map { try openTextOutput($0, overwrite: force) }
      if let svgOutput { try writeText(plot.svg, to: svgOutput, into: committed) }
      if let csvOutput { try writeText(plot.csv, to: csvOutput, into: committed) }
      committed.settle()
    } catch let failure as CommandFailure {
      committed.retract()
      printError("audioprep: \(failure.path): \(failure.message)")
      throw ExitCode(failure.code)
    }
    if csv != "-" && svg != "-" {  // standard output carries the data
      let minus3 = response.minus3dBHz.map { "−3 dB at \(Text.fixed($0, 2)) Hz" } ?? "no high-pass"
      print("audioprep: response: \(minus3); gain \(Text.fixed(response.gainDecibels, 2)) dB"
        + (svg.map { "; plot in \($0)" } ?? ""))
    }
  }
}
