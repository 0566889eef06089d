import DSP
import Glibc

/// Where an output path lands: its directory, as the file it is however spelled, and the name
/// in it. Two outputs whose locations are equal write one file.
///
/// An existing directory is its identity (device and inode: `./o`, `o/`, `x/../o` and a link to
/// it are one). A directory not made yet (a batch's out-dir before its first run) is its nearest
/// existing ancestor's identity and the components below it, "." and empty ones dropped: `o/`
/// and `./o//` are one there too.
package struct OutputLocation: Hashable {
  let directory: String
  let name: [UInt8]

  package init(_ path: String) {
    // A descriptor is one stream however it is named: `-`, /dev/stdout, /proc/self/fd/1.
    if let number = path == "-" ? STDOUT_FILENO : OutputFile.descriptorNumber(named: path) {
      directory = "descriptor \(number)"
      name = []
      return
    }
    directory = Self.directory(PathName.directoryPrefix(path))
    name = PathBytes.bytes(of: PathName.lastComponent(path))
  }

  /// The location of the directory `prefix` ("" is the current one).
  private static func directory(_ prefix: String) -> String {
    let root = prefix.hasPrefix("/") ? "/" : "."
    var existing = PathName.components(prefix).map(String.init)
    var below: [String] = []
    while true {
      let spelled = existing.isEmpty ? root : (root == "/" ? "/" : "") + existing.joined(separator: "/")
      if let status = Descriptor.status(spelled), status.isDirectory {
        return ([String(status.identity.device) + ":" + String(status.identity.inode)] + below).joined(separator: "/")
      }
      guard let last = existing.popLast() else { return prefix }
      below.insert(last, at: 0)
    }
  }
}
