import ArgumentParser
import DSP

/// `info DIR…`: a whole corpus from its files' headers, one line per file and a totals line —
/// files, hours, counts by rate, channels and format, the files that do not decode, and the
/// other files (transcripts, notes) skipped. Only each file's first block is decoded, unless
/// `--levels` asks for peak and RMS levels (and the exact decoded length); a file cut short is
/// flagged either way as far as its header and size show it (PCM; `--levels` finds the rest);
/// what `info FILE` refuses is refused here too, as far as the headers and that block show it
/// (nothing decodes; a file joined on where the walk of the structure reads: after a WAV's data
/// chunk, not after FLAC, Ogg or MP3 audio, which `--levels` reads).
struct CorpusInfo {
  var decoding: DecoderOptions
  /// The rate the chain resamples to: a file it cannot be resampled from is refused as
  /// `info FILE` refuses it.
  var outputRate: Int
  var levels: Bool
  var json: Bool

  /// Describes every recording below the directories (and the files) in `arguments`, prints a
  /// line for each, then the totals; returns the exit status: 65 when some file does not
  /// decode, 66 when one cannot be opened (or a directory cannot be read), else 0.
  func run(_ arguments: [String]) -> Int32 {
    var collector = InputCollector(excluding: nil, rawInput: false, decoding: decoding)
    var paths: [String] = []
    var otherFiles = 0
    // A directory inside another, or given again, is described once, from the outer one (review33m W5).
    var once = InputCollector.nested(arguments.filter { PathName.isDirectory($0) }, in: PathName.currentDirectory())
    let directoryArguments = arguments.filter { PathName.isDirectory($0) }.compactMap { try? Descriptor.resolvedPath($0) }
    for argument in arguments {
      if PathName.isDirectory(argument) {
        guard once.insert(PathKey(argument)).inserted else { continue }
        let before = collector.inputs.count
        collector.add([argument])
        paths += collector.inputs[before...].map(\.path)
      } else if let real = try? Descriptor.resolvedPath(argument),
        directoryArguments.contains(where: { PathName.relative(real, below: $0) != nil })
      {
        continue  // a file below a directory given too is described once, from the directory (review33p W1)
      } else if NotAudio.byExtension(argument) {
        otherFiles += 1  // a transcript beside the directories of a glob
      } else {
        paths.append(argument)
      }
    }
    var totals = CorpusTotals()
    totals.skippedFiles = collector.filesLookedAt - collector.inputs.count + otherFiles + collector.unread.count
    totals.unread = collector.unread
    for entry in collector.unread { printError("audioprep: \(entry.line)") }
    totals.symlinkedDirectories = collector.symlinkedDirectories
    for path in collector.symlinkedDirectories {
      printError("audioprep: \(path): skipped: a symbolic link to a directory (not followed: its files are not counted)")
    }
    var worst: Int32 = 0
    for refusal in collector.refusals {
      printError("audioprep: \(refusal.path): \(refusal.message)")
      // A directory of the walk that cannot be read: its recordings are in no count.
      if refusal.code == ExitStatus.noInput { totals.unreadableDirectories.append(refusal.path) }
      worst = max(worst, refusal.code)
    }
    for path in paths {
      do {
        let header = try describe(path)
        totals.add(header)
        printOutput(json ? header.json : header.text)
      } catch {
        let failure = error as? CommandFailure ?? CommandFailure(error, inputPath: path)
        printError("audioprep: \(failure.path): \(failure.message)")
        // One that cannot be opened (66: no permission, gone) was never read: not undecodable.
        if failure.code == ExitStatus.noInput { totals.unreadable.append(path) } else { totals.undecodable.append(path) }
        worst = max(worst, failure.code)
      }
    }
    printOutput(json ? totals.json : totals.text)
    return worst
  }

  private func describe(_ path: String) throws -> HeaderDescription {
    let header = try readHeader(path)
    do {
      try AudioPipeline.checkRatio(inputRate: header.sampleRate, outputRate: outputRate, origin: .header)
    } catch {
      throw CommandFailure(error, inputPath: path)
    }
    return header
  }

  private func readHeader(_ path: String) throws -> HeaderDescription {
    if !levels, decoding.decoder != .ffmpeg, ["ogg", "oga", "opus"].contains(PathName.fileExtension(path).lowercased()),
      let ogg = OggHeader(path: path)
    {
      if let refusal = JoinedStreams.refusal(file: path, reach: .structure) { throw AudioIOError(.invalidInput, path: path, refusal) }
      return HeaderDescription(
        path: path, formatName: ogg.formatName, decoderName: "Ogg pages", sampleRate: ogg.sampleRate,
        channels: ogg.channels, frames: ogg.frames)
    }
    // From its header, a file is looked through for another joined on only as far as the walk
    // of its structure reads (`ScanReach.structure`): not the whole corpus.
    let source = try decoding.open(path, reach: levels ? .everything : .structure)
    var header = HeaderDescription(
      path: path, formatName: source.formatName, decoderName: source.decoderName,
      sampleRate: source.format.sampleRate, channels: source.format.channels, frames: source.announcedFrames)
    if levels {
      let measured = try LevelMeter.measure(source)
      header.frames = measured.frames
      header.levels = measured.meter
      header.truncation = source.truncation
    } else {
      // What info FILE would refuse that the header does not show: nothing decodes (the first
      // block says). A file joined on was looked for when it was opened, as far as the walk of
      // its structure reads (`ScanReach.structure`): not through FLAC, Ogg or MP3 audio, nor an
      // MP3's frame headers one by one (an MP3 joined from parts of another rate is --levels's
      // to find).
      // A file cut short shows it in its header and size (PCM): said without decoding it.
      header.truncation = source.truncationAtOpen
      var chunk = AudioChunk(channels: source.format.channels)
      _ = try source.read(into: &chunk, maxFrames: 1)
    }
    return header
  }
}
