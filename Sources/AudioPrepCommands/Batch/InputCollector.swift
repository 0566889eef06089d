import DSP
import Glibc

/// One recording found for a batch, and where it sits in the mirrored tree.
package struct BatchInput: Equatable {
  /// The path to open: as given, or a directory argument joined with what the walk found.
  package let path: String
  /// The path below its root; the output mirrors it and shards hash it. Never absolute, never "..".
  package let relativePath: String
  /// Why it cannot be processed, known before processing (not a regular file): it gets a
  /// failed record, never silence.
  package var problem: String?

  package init(path: String, relativePath: String, problem: String? = nil) {
    self.path = path
    self.relativePath = relativePath
    self.problem = problem
  }
}

/// Turns INPUT arguments and `--from-list` lines into recordings, refusing paths that would
/// land outside the output directory.
///
/// - A directory is walked recursively by descriptor (hidden entries, symlinked directories and
///   the output directory, however spelled, are skipped; nothing but regular files is opened).
///   A file in it is a recording when its extension is an audio one (libsndfile's or FFmpeg's),
///   or, whatever its name, when libsndfile or FFmpeg can open it; other files (transcripts,
///   notes) are ignored. A recording that turns out unreadable is a failed record, never
///   dropped. A directory argument holding no recording at all is reported in
///   `emptyDirectories` (the batch then exits 65). Names are kept as bytes (`PathBytes`); a
///   path too long to open is still listed, and fails with its reason.
/// - A file argument that is not a regular file (a FIFO, a device) is listed with its problem:
///   reading it could block forever and it cannot be hashed for resumption.
/// - A directory argument is a *root*: what lies below it is mirrored as is.
/// - A file (argument or list line) is placed relative to the deepest root holding it, else
///   relative to the current directory, else (an absolute path elsewhere) by its whole path.
///   A path with a ".." component is refused.
struct InputCollector {
  /// Transcripts, labels, notes and listings: never audio, so never opened to find out (opening
  /// an unknown file loads FFmpeg, which costs more than reading a hundred headers).
  static let textExtensions: Set<String> = [
    "txt", "lab", "trn", "stm", "ctm", "textgrid", "srt", "vtt", "json", "jsonl", "csv", "tsv", "md", "xml", "yaml",
    "yml", "html", "pdf", "scp", "list", "lst",
  ]

  let currentDirectory: String
  /// The directory to leave out of walks (the output directory), by identity.
  let excludedDirectory: ProtectedFiles.Identity?
  /// Raw input options were given: .raw/.pcm files count as recordings.
  let rawInput: Bool
  /// The decoder options: a file without an audio extension counts if they open it; nil: only
  /// an audio extension counts (no file is opened).
  let decoding: DecoderOptions?

  private(set) var inputs: [BatchInput] = []
  private(set) var refusals: [CommandFailure] = []
  /// Directory arguments in which no file is a recording: not a success, but the rest still runs.
  private(set) var emptyDirectories: [CommandFailure] = []
  /// Entries of the walks named as audio that are no file to read: said and counted as skipped.
  private(set) var unread: [UnreadEntry] = []
  /// Regular files the directory walks looked at, recordings or not (`info` counts the others).
  private(set) var filesLookedAt = 0
  /// Symlinks to directories the walks met: not followed (one back up would walk for ever), so
  /// their recordings are in no count (`info` says so: review31m W10).
  private(set) var symlinkedDirectories: [String] = []
  private var roots: [String] = []
  /// The directories this run's inputs come from, absolute: those walked (one inside another
  /// counted in the outer one) and those holding file arguments and list lines.
  var inputDirectories: [String] { roots + fileDirectories.sorted().map(\.path) }
  /// The directories holding file arguments and list lines (absolute): an output directory may
  /// not be one of them, nor hold one, any more than a root.
  private var fileDirectories: Set<PathKey> = []

  init(excluding outputDirectory: String?, rawInput: Bool, decoding: DecoderOptions?) {
    self.decoding = decoding
    currentDirectory = PathName.currentDirectory()
    excludedDirectory = outputDirectory.flatMap(Self.identity)
    self.rawInput = rawInput
  }

  /// Adds every argument: directories are walked, anything else is one recording.
  mutating func add(_ arguments: [String]) {
    let directories = arguments.filter { PathName.isDirectory($0) }
    let directoryKeys = Set(directories.map(PathKey.init))
    let inner = Self.nested(directories, in: currentDirectory)
    roots += directories.filter { !inner.contains(PathKey($0)) }.compactMap { PathName.absolute($0, in: currentDirectory) }
    roots.sort { $0.utf8.count > $1.utf8.count }
    var walked: Set<PathKey> = []
    for argument in arguments {
      if directoryKeys.contains(PathKey(argument)) {
        // A directory inside another argument's (`c c/spk1`), or one given again (`c ./c`), is
        // walked once, from the outer one: its files were processed twice, under two relative
        // paths (review33m H2, W5).
        guard !inner.contains(PathKey(argument)), walked.insert(PathKey(argument)).inserted else { continue }
        let before = inputs.count
        let looked = walk(argument, relative: "")
        filesLookedAt += looked
        if inputs.count == before {
          emptyDirectories.append(
            CommandFailure(
              argument, "no file in it is audio audioprep can decode (\(looked) file(s) looked at)",
              code: ExitStatus.dataError))
        }
      } else {
        addFile(argument)
      }
    }
  }

  /// The directories of `directories` that lie inside another of them, or are one given again
  /// under another name (the first spelling stays), compared as they really are (symlinks and
  /// `..` resolved).
  static func nested(_ directories: [String], in currentDirectory: String) -> Set<PathKey> {
    let real = directories.map { (try? Descriptor.resolvedPath($0)) ?? PathName.absolute($0, in: currentDirectory) ?? $0 }
    var inner: Set<PathKey> = []
    for (index, directory) in real.enumerated() {
      let inside = real.indices.contains { other in
        other != index && !PathKey.same(directories[other], directories[index])
          && (PathName.relative(directory, below: real[other]) != nil || (PathKey.same(real[other], directory) && other < index))
      }
      if inside { inner.insert(PathKey(directories[index])) }
    }
    return inner
  }

  /// Reads one path a line from `listPath` ("-" for standard input), or one path a NUL when it
  /// holds one (`find -print0`, `xargs -0`: a newline is then part of a name); empty entries are
  /// ignored.
  static func readList(_ listPath: String) throws -> [String] {
    let descriptor = listPath == "-" ? STDIN_FILENO : Descriptor.open(listPath, flags: O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw CommandFailure(listPath, String(cString: strerror(errno)), code: ExitStatus.noInput)
    }
    defer { if descriptor != STDIN_FILENO { try? Descriptor.close(descriptor) } }
    let bytes = try TextFile.read(descriptor, path: listPath)
    // Read one path a line, a NUL cut a path short in the C calls, and what followed it was lost.
    let paths =
      bytes.contains(0)
      ? bytes.split(separator: 0).map { PathBytes.string(fromBytes: $0[...]) }
      : bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
        let path = line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...]
        return path.isEmpty ? nil : PathBytes.string(fromBytes: path)
      }
    if let first = paths.first, let hint = kaldiTableHint(listPath: listPath, firstLine: first, lines: paths) {
      throw CommandFailure(listPath, hint, code: ExitStatus.usage)
    }
    return paths
  }

  /// The usage error for a list that is a Kaldi table (`wav.scp`: "ID PATH" or "ID COMMAND |" a
  /// line) rather than one path a line, or nil: its first line is not a file, but what follows
  /// its first word is a file or a command.
  static func kaldiTableHint(
    listPath: String, firstLine: String, lines: [String]? = nil, exists: (String) -> Bool = { Descriptor.status($0) != nil }
  ) -> String? {
    guard !exists(firstLine), let space = firstLine.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return nil }
    let rest = String(firstLine[firstLine.index(after: space)...].drop { $0 == " " || $0 == "\t" })
    guard exists(rest) || rest.hasSuffix("|") else { return nil }
    let list = listPath == "-" ? "wav.scp" : listPath
    return "line 1 ('\(TerminalText.escapingControls(firstLine))') is a Kaldi table line (ID PATH), not a path; --from-list takes one path a line: "
      + KaldiTable.wayToFiles(table: list, lines: lines ?? [firstLine])
  }

  private mutating func addFile(_ path: String) {
    if let table = KaldiTable.inputRefusal(path) {
      refusals.append(table)
      return
    }
    guard let absolute = PathName.absolute(path, in: currentDirectory) else {
      refusals.append(CommandFailure(path, "contains '..'; its output would land outside the output directory", code: ExitStatus.usage))
      return
    }
    let status = Descriptor.status(path)
    let problem = status != nil && status?.isRegular == false ? "is not a regular file" : nil
    let parent = PathName.directoryPrefix(absolute)
    fileDirectories.insert(PathKey(parent.utf8.count > 1 ? String(parent.dropLast()) : parent))
    for root in roots {
      if let relative = PathName.relative(absolute, below: root) {
        inputs.append(BatchInput(path: path, relativePath: relative, problem: problem))
        return
      }
    }
    // Below the current directory: mirrored from there; elsewhere, its whole absolute path is
    // mirrored below --out-dir (/data/a.wav → OUT/data/a.wav), as rsync -R does.
    let relative = PathName.relative(absolute, below: currentDirectory) ?? String(absolute.dropFirst())
    inputs.append(BatchInput(path: path, relativePath: relative, problem: problem))
  }

  /// Adds the recordings below `directory`; returns how many regular files it looked at.
  private mutating func walk(_ directory: String, relative: String) -> Int {
    let descriptor = Descriptor.open(directory, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else {
      refusals.append(CommandFailure(directory, String(cString: strerror(errno)), code: ExitStatus.noInput))
      return 0
    }
    return walk(descriptor: descriptor, path: directory, relative: relative)
  }

  /// Walks the open directory `descriptor` (closed on return), known as `path`; returns how many
  /// regular files it looked at.
  private mutating func walk(descriptor: Int32, path directory: String, relative: String) -> Int {
    defer { try? Descriptor.close(descriptor) }
    var looked = 0
    var names: [String] = []
    do {
      try DirectoryListing.forEach(in: descriptor) { entry in
        if !entry.name.hasPrefix(".") { names.append(entry.name) }
      }
    } catch {
      refusals.append(CommandFailure(directory, String(cString: strerror(error.rawValue)), code: ExitStatus.noInput))
      return 0
    }
    // By their bytes, each name's taken once (not at every comparison).
    let sorted = names.map { (bytes: PathBytes.bytes(of: $0), name: $0) }.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
    for name in sorted.map(\.name) {
      let path = PathName.join(directory, name)
      let childRelative = relative.isEmpty ? name : relative + "/" + name
      guard var status = Descriptor.status(name, in: descriptor, following: false) else { continue }
      if status.kind == .symlink {
        // A symlink to a file is read (reading follows nothing dangerous); to a directory, skipped.
        // One that leads nowhere, or to what is not a file, is said when its name is audio's.
        guard let target = Descriptor.status(name, in: descriptor) else {
          let reason = errno == ELOOP ? UnreadEntry.Reason.loop : .dangling
          if hasAudioName(path) { unread.append(UnreadEntry(path: path, reason: reason)) }
          continue
        }
        guard target.isRegular else {
          if target.kind == .directory {
            symlinkedDirectories.append(path)
          } else if hasAudioName(path) {
            unread.append(UnreadEntry(path: path, reason: .special(target.kind)))
          }
          continue
        }
        status = target
      }
      switch status.kind {
      case .directory:
        guard status.identity != excludedDirectory else { continue }
        let child = Descriptor.open(name, in: descriptor, flags: O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if child >= 0 {
          looked += walk(descriptor: child, path: path, relative: childRelative)
        } else {
          refusals.append(CommandFailure(path, String(cString: strerror(errno)), code: ExitStatus.noInput))
        }
      case .regular:
        looked += 1
        if isRecording(path) { inputs.append(BatchInput(path: path, relativePath: childRelative)) }
      default:
        // FIFOs, sockets, devices: never opened (a FIFO would block), said when named as audio.
        if hasAudioName(path) { unread.append(UnreadEntry(path: path, reason: .special(status.kind))) }
      }
    }
    return looked
  }

  /// The identity of the directory at `path`, if it exists.
  static func identity(_ path: String) -> ProtectedFiles.Identity? {
    Descriptor.status(path)?.identity
  }

  /// The input directory (a root, or one holding a file argument) that `outputDirectory` is, or
  /// lies above, if any: outputs there would mix with the recordings, replace files beside
  /// them, and be walked as inputs by the next run.
  func directoryOverlapping(_ outputDirectory: String) -> String? {
    guard let output = Self.identity(outputDirectory) else { return nil }
    for root in inputDirectories {
      // The physical path: an ancestor reached through a symlink counts too.
      guard var ancestor = try? Descriptor.resolvedPath(root) else { continue }
      while true {
        if Self.identity(ancestor) == output { return root }
        if ancestor == "/" { break }
        ancestor = PathName.directoryPrefix(ancestor)
        if ancestor.utf8.count > 1 { ancestor.removeLast() }
      }
    }
    return nil
  }

  /// A name batch would take for a recording without opening it: an audio extension (or a raw
  /// one with the raw options).
  private func hasAudioName(_ path: String) -> Bool {
    let fileExtension = PathName.fileExtension(path).lowercased()
    return audioFileExtensions.contains(fileExtension) || (rawInput && RawInputOptions.rawExtensions.contains(fileExtension))
  }

  /// An audio extension, or any file libsndfile or FFmpeg opens.
  private func isRecording(_ path: String) -> Bool {
    let fileExtension = PathName.fileExtension(path).lowercased()
    if audioFileExtensions.contains(fileExtension) { return true }
    // Too long to open here: listed anyway, so that it fails with its reason rather than vanish.
    if PathBytes.bytes(of: path).count >= Int(PATH_MAX) { return true }
    if RawInputOptions.rawExtensions.contains(fileExtension) { return rawInput }
    if Self.textExtensions.contains(fileExtension) { return false }
    guard let decoding else { return false }
    return (try? decoding.open(path)) != nil
  }
}
