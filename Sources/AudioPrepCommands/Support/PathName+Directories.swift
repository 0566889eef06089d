import DSP
import Glibc

/// The path arithmetic batch needs: lexical normalisation, joining, and directories.
extension PathName {
  /// Joins `directory` and `name` with exactly one slash.
  package static func join(_ directory: String, _ name: String) -> String {
    if directory.isEmpty { return name }
    return directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }

  /// The components of `path` without empty and "." ones; ".." is kept (callers refuse it).
  package static func components(_ path: String) -> [Substring] {
    path.split(separator: "/").filter { $0 != "." }
  }

  /// `path` made absolute against `directory` and normalised lexically (no symlinks resolved);
  /// nil when it contains "..".
  package static func absolute(_ path: String, in directory: String) -> String? {
    let parts = components(path.hasPrefix("/") ? path : join(directory, path))
    guard !parts.contains("..") else { return nil }
    return "/" + parts.joined(separator: "/")
  }

  /// `path` made absolute against `directory`: normalised lexically (`absolute`) when it has no
  /// "..", else with its directory's real path (`realpath`: a ".." after a symlink is where the
  /// file really is), or, when that directory does not exist, joined as it is.
  package static func resolved(_ path: String, in directory: String) -> String {
    if let absolute = absolute(path, in: directory) { return absolute }
    let joined = path.hasPrefix("/") ? path : join(absolute(directory, in: "/") ?? directory, path)
    guard let parent = real(directoryPrefix(joined)) else { return joined }
    return join(parent, lastComponent(joined))
  }

  /// `path` as it really is (`realpath`: symlinks and ".." resolved; "" is the current
  /// directory), or nil when it does not exist.
  package static func real(_ path: String) -> String? {
    try? Descriptor.resolvedPath(path.isEmpty ? "." : path)
  }

  /// The rest of `path` below `root` (both absolute and normalised), or nil when it is not below.
  /// Compared by bytes (`PathKey`): `/c/é` composed is not below `/c/é` decomposed.
  package static func relative(_ path: String, below root: String) -> String? {
    let prefix = (root == "/" ? "/" : root + "/").utf8
    guard path.utf8.count > prefix.count, path.utf8.starts(with: prefix) else { return nil }
    // The prefix ends in "/": the rest starts on a whole character.
    return String(decoding: path.utf8.dropFirst(prefix.count), as: UTF8.self)
  }

  /// `path` as seen from `directory` ("" is the current one), both as they really are (symlinks
  /// and ".." resolved; both must exist): "a/s_0001.wav" from "a/" is "s_0001.wav", from "b/"
  /// "../a/s_0001.wav".
  package static func relative(_ path: String, from directory: String) -> String {
    let here = currentDirectory()
    let existing = { (directory: String) -> String? in
      real(directory) ?? absolute(directory.isEmpty ? "." : directory, in: here)
    }
    guard let targetDirectory = existing(directoryPrefix(path)), let base = existing(directory) else { return path }
    let targetParts = components(targetDirectory) + [Substring(lastComponent(path))]
    let baseParts = components(base)
    var common = 0
    while common < min(targetParts.count, baseParts.count) && PathKey.same(String(targetParts[common]), String(baseParts[common])) {
      common += 1
    }
    let ups = Array(repeating: "..", count: baseParts.count - common)
    return (ups + targetParts[common...].map(String.init)).joined(separator: "/")
  }

  /// The current directory.
  package static func currentDirectory() -> String {
    (try? Descriptor.workingDirectory()) ?? "/"
  }

  package static func isDirectory(_ path: String) -> Bool {
    Descriptor.status(path)?.isDirectory == true
  }
}
