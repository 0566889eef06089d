import Glibc
import SystemPackage

/// Outputs that are descriptors the caller holds: standard output (`-`), `/dev/stdout`,
/// `/dev/fd/N`, `/proc/self/fd/N`, or a symlink to one: written where the descriptor points.
extension OutputFile {
  /// A descriptor this process holds (`/dev/stdout`, `/dev/fd/3`): duplicated, so the output
  /// lands where the descriptor points (at its offset, appending if it appends), never reopened
  /// at offset 0. One that is an input is refused.
  convenience init(duplicating number: Int32, path: String) throws {
    // One audioprep opened itself (its copy of standard error, an input) is not the caller's.
    guard Descriptor.wasInherited(number) else {
      throw AudioIOError(.cannotCreateOutput, path: path, "descriptor \(number) was not open when audioprep started")
    }
    let held = number == STDERR_FILENO ? LibraryDiagnostics.standardError : number
    let opened: Int32
    do { opened = try Descriptor.duplicate(held) } catch { throw Self.createFailure(path, error.rawValue) }
    if let status = Descriptor.status(of: opened), let role = ProtectedFiles.role(of: status) {
      try? Descriptor.close(opened)
      throw Self.protectedFailure(role, path: path)
    }
    self.init(inPlace: opened, path: path)
  }

  /// Standard output ("-"), written in place and left open; refused (73) when it is an input
  /// (`-o - >> in.wav`).
  package static func standardOutput() throws -> OutputFile {
    if let status = Descriptor.status(of: STDOUT_FILENO), let role = ProtectedFiles.role(of: status) {
      throw protectedFailure(role, path: "-")
    }
    return OutputFile(descriptor: STDOUT_FILENO, path: "-", isDirect: true, ownsDescriptor: false)
  }

  /// The descriptor `path` names, however spelled (`/dev/stdout`, `/dev/./stderr`, `/dev/fd/3`,
  /// `/proc/self/fd/3`, or a symlink to one of those): its directory is resolved, then its last
  /// component read. nil for any other path.
  package static func descriptorNumber(named path: String) -> Int32? {
    if let number = descriptorNumber(spelled: path) { return number }
    return (try? Descriptor.linkTarget(path)).flatMap(descriptorNumber(spelled:))
  }

  static func descriptorNumber(spelled path: String) -> Int32? {
    let slash = path.lastIndex(of: "/")
    guard let slash, path.hasPrefix("/") else { return nil }
    let directory = String(path[...slash])
    let name = String(path[path.index(after: slash)...])
    guard let real = try? Descriptor.resolvedPath(directory) else { return nil }
    let number: Int32?
    switch real {
    case "/dev": number = name == "stdout" ? 1 : name == "stderr" ? 2 : name == "stdin" ? 0 : nil
    case "/proc/self/fd", "/proc/\(getpid())/fd", "/dev/fd": number = Int32(name)
    default: number = nil
    }
    guard let number, number >= 0 else { return nil }
    return number
  }
}
