import DSP

/// An entry of a directory walk named as audio that is no file to read — a symbolic link to
/// nothing or in a loop, a FIFO, a socket, a device: never followed further or opened (a FIFO
/// would block), but said, one line each, and counted as skipped by `info` and `batch`.
struct UnreadEntry {
  enum Reason: Hashable {
    case dangling, loop
    case special(FileStatus.Kind)
  }

  let path: String
  let reason: Reason

  /// "corpus/b.wav: skipped: a symbolic link to nothing (its target does not exist)".
  var line: String { "\(path): skipped: \(reason.explanation)" }

  /// The reasons and how many entries each, for a totals line: "1 dangling symlink, 1 FIFO".
  static func counts(_ entries: [UnreadEntry]) -> String {
    var order: [Reason] = []
    var counts: [Reason: Int] = [:]
    for entry in entries {
      if counts[entry.reason] == nil { order.append(entry.reason) }
      counts[entry.reason, default: 0] += 1
    }
    return order.map { Text.count(counts[$0]!, $0.noun) }.joined(separator: ", ")
  }
}

extension UnreadEntry.Reason {
  var explanation: String {
    switch self {
    case .dangling: "a symbolic link to nothing (its target does not exist)"
    case .loop: "a symbolic link loop"
    case .special(let kind): "a \(Self.name(kind)), not a regular file (never opened\(kind == .fifo ? ": reading it could block" : ""))"
    }
  }

  /// The noun a totals line counts.
  var noun: String {
    switch self {
    case .dangling: "dangling symlink"
    case .loop: "symlink loop"
    case .special(let kind): Self.name(kind)
    }
  }

  private static func name(_ kind: FileStatus.Kind) -> String {
    switch kind {
    case .fifo: "FIFO"
    case .socket: "socket"
    case .characterDevice, .blockDevice: "device"
    default: "special file"
    }
  }
}
