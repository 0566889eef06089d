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

  /// The refusal of a file named for another format than the one `option` writes (`--svg
  /// chain.png` wrote SVG into a .png): an extension other than `format`'s (or .txt for CSV,
  /// which is text); nil for a right or no extension.
  static func misnamed(_ option: String, _ path: String?, format: String) -> String? {
    guard let path, path != "-" else { return nil }
    let named = PathName.fileExtension(path).lowercased()
    guard !named.isEmpty, named != format, !(format == "csv" && named == "txt") else { return nil }
    let renamed = String(path.dropLast(named.count)) + format
    let other = named == "png" || named == "pdf" ? " (response draws SVG only; for a .\(named): rsvg-convert -f \(named) \(renamed) -o \(path))" : ""
    return "\(option) writes \(format.uppercased()), not .\(named); name it \(renamed)\(other)"
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
      // Both on standard output is two outputs naming one (73, as DistinctOutputs refuses),
      // said by their options; then a name for another format than the one written (64),
      // unless the output cannot be created anyway (a collision, or a file there without
      // --force: 73, as before).
      if svg == "-", csv == "-" {
        throw CommandFailure("-", "--svg and --csv both write to standard output; give one of them a file", code: ExitStatus.cannotCreate)
      }
      try DistinctOutputs.check([svg, csv].compactMap { $0 }.map { .file($0) })
      for (option, path, format) in [("--svg", svg, "svg"), ("--csv", csv, "csv")] where force || path.flatMap({ Descriptor.status($0) }) == nil {
        if let refusal = Self.misnamed(option, path, format: format) { throw CommandFailure(path!, refusal, code: ExitStatus.usage) }
      }
      let svgOutput = try svg.map { try openTextOutput($0, overwrite: force) }
      let csvOutput = try csv.map { try openTextOutput($0, overwrite: force) }
      if let svgOutput { try writeText(plot.svg, to: svgOutput, into: committed) }
      if let csvOutput { try writeText(plot.csv, to: csvOutput, into: committed) }
      committed.removeTemporariesDeadRunsLeft()
      do { try committed.settle() } catch let error as AudioIOError { throw CommandFailure(error, inputPath: error.path) }
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
