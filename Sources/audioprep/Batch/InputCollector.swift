import DSP
import Glibc

/// One recording found for a batch, and where it sits in the mirrored tree.
struct BatchInput: Equatable {
  /// The path to open: as given, or a directory argument joined with what the walk found.
  let path: String
  /// The path below its root; the output mirrors it and shards hash it. Never absolute, never "..".
  let relativePath: String
}

/// Turns INPUT arguments and `--from-list` lines into recordings, refusing paths that would
/// land outside the output directory.
///
/// - A directory is walked recursively (hidden entries, symlinked directories and the output
///   directory are skipped). A file in it is a recording when its extension is an audio one
///   (libsndfile's or FFmpeg's), or, whatever its name, when libsndfile or FFmpeg can open it;
///   other files (transcripts, notes) are ignored. A recording that turns out unreadable is a
///   failed record, never dropped. A directory argument holding no recording at all is reported
///   in `emptyDirectories` (the batch then exits 65).
/// - A directory argument is a *root*: what lies below it is mirrored as is.
/// - A file (argument or list line) is placed relative to the deepest root holding it, else
///   relative to the current directory. A path with a ".." component, or an absolute path
///   outside every root and the current directory, is refused.
struct InputCollector {
  /// Audio extensions libsndfile reads, then those FFmpeg reads for it; a file with another name
  /// is still taken if it opens.
  static let audioExtensions: Set<String> = [
    "wav", "wave", "bwf", "rf64", "w64", "flac", "ogg", "oga", "opus", "mp3", "aif", "aiff", "aifc",
    "caf", "au", "snd", "sd2", "paf", "svx", "8svx", "nist", "sph", "voc", "ircam", "sf", "mat",
    "mat4", "mat5", "pvf", "xi", "htk", "sds", "avr", "wve", "mpc",
    "webm", "weba", "m4a", "m4b", "mp4", "mov", "mkv", "mka", "amr", "awb", "3gp", "3g2", "wma", "asf",
    "aac", "ac3", "mp2", "spx",
  ]

  let currentDirectory: String
  /// Directories to leave out of walks (the output directory), absolute and normalised.
  let excludedDirectory: String?
  /// Raw input options were given: .raw/.pcm files count as recordings.
  let rawInput: Bool

  private(set) var inputs: [BatchInput] = []
  private(set) var refusals: [CommandFailure] = []
  /// Directory arguments in which no file is a recording: not a success, but the rest still runs.
  private(set) var emptyDirectories: [CommandFailure] = []
  private var roots: [String] = []

  init(excluding outputDirectory: String?, rawInput: Bool) {
    currentDirectory = PathName.currentDirectory()
    excludedDirectory = outputDirectory.flatMap { PathName.absolute($0, in: PathName.currentDirectory()) }
    self.rawInput = rawInput
  }

  /// Adds every argument: directories are walked, anything else is one recording.
  mutating func add(_ arguments: [String]) {
    let directories = arguments.filter { PathName.isDirectory($0) }
    roots += directories.compactMap { PathName.absolute($0, in: currentDirectory) }
    roots.sort { $0.count > $1.count }
    for argument in arguments {
      if directories.contains(argument) {
        let before = inputs.count
        let looked = walk(argument, relative: "")
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

  /// Reads one path a line from `listPath` ("-" for standard input); empty lines are ignored.
  static func readList(_ listPath: String) throws -> [String] {
    let descriptor = listPath == "-" ? STDIN_FILENO : open(listPath, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw CommandFailure(listPath, String(cString: strerror(errno)), code: ExitStatus.noInput)
    }
    defer { if descriptor != STDIN_FILENO { close(descriptor) } }
    var bytes: [UInt8] = []
    var block = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count == 0 { break }
      if count < 0 {
        if errno == EINTR { continue }
        throw CommandFailure(listPath, String(cString: strerror(errno)), code: ExitStatus.noInput)
      }
      bytes.append(contentsOf: block[0..<count])
    }
    return bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
      var text = String(decoding: line, as: UTF8.self)
      if text.hasSuffix("\r") { text.removeLast() }
      return text.isEmpty ? nil : text
    }
  }

  private mutating func addFile(_ path: String) {
    guard let absolute = PathName.absolute(path, in: currentDirectory) else {
      refusals.append(CommandFailure(path, "contains '..'; its output would land outside the output directory", code: ExitStatus.usage))
      return
    }
    for root in roots {
      if let relative = PathName.relative(absolute, below: root) {
        inputs.append(BatchInput(path: path, relativePath: relative))
        return
      }
    }
    if let relative = PathName.relative(absolute, below: currentDirectory) {
      inputs.append(BatchInput(path: path, relativePath: relative))
      return
    }
    refusals.append(
      CommandFailure(
        path, "is outside the input directories and the current directory; its output would land outside the output directory",
        code: ExitStatus.usage))
  }

  /// Adds the recordings below `directory`; returns how many regular files it looked at.
  @discardableResult
  private mutating func walk(_ directory: String, relative: String) -> Int {
    guard let stream = opendir(directory) else {
      refusals.append(CommandFailure(directory, String(cString: strerror(errno)), code: ExitStatus.noInput))
      return 0
    }
    var looked = 0
    var names: [String] = []
    while let entry = readdir(stream) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
      }
      if !name.hasPrefix(".") { names.append(name) }
    }
    closedir(stream)
    for name in names.sorted() {
      let path = PathName.join(directory, name)
      let childRelative = relative.isEmpty ? name : relative + "/" + name
      var linkStatus = stat(), status = stat()
      guard lstat(path, &linkStatus) == 0, stat(path, &status) == 0 else { continue }
      switch status.st_mode & S_IFMT {
      case S_IFDIR:
        let isSymlink = (linkStatus.st_mode & S_IFMT) == S_IFLNK
        let absolute = PathName.absolute(path, in: currentDirectory)
        if !isSymlink && absolute != excludedDirectory { looked += walk(path, relative: childRelative) }
      case S_IFREG:
        looked += 1
        if isRecording(path) { inputs.append(BatchInput(path: path, relativePath: childRelative)) }
      default:
        continue
      }
    }
    return looked
  }

  /// An audio extension, or any file libsndfile or FFmpeg opens.
  private func isRecording(_ path: String) -> Bool {
    let fileExtension = PathName.fileExtension(path).lowercased()
    if Self.audioExtensions.contains(fileExtension) { return true }
    if ["raw", "pcm"].contains(fileExtension) { return rawInput }
    return (try? openAudioSource(path: path)) != nil
  }
}
