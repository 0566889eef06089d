import DSP
import Glibc

/// Inputs whose reading could wait for ever, refused before they are opened: a FIFO, socket or
/// device named as a file to compare (`verify`, `--golden`; `info` and `batch` refuse them
/// too), and standard input on a terminal (as a terminal standard output is refused).
package enum BlockingInputs {
  /// The refusal (66) of `path` to compare when it is no regular file and no directory, or nil.
  static func specialFileRefusal(_ path: String) -> CommandFailure? {
    guard path != "-", let status = Descriptor.status(path), !status.isRegular, !status.isDirectory else { return nil }
    let what = UnreadEntry.Reason.special(status.kind).explanation
    return CommandFailure(path, "is \(what); save what it holds to a file first (cat \(path) > FILE)", code: ExitStatus.noInput)
  }

  /// The refusal of `-` as an input when standard input is a terminal (nothing pipes audio in:
  /// audioprep would wait for keystrokes), or nil.
  package static func terminalRefusal(input: String, standardInputIsTerminal: Bool) -> String? {
    guard input == "-", standardInputIsTerminal else { return nil }
    return "standard input is a terminal; audioprep reads audio from it only through a pipe or a redirect (audioprep - < FILE, program | audioprep -)"
  }

  /// `terminalRefusal` for this process's standard input, as a failure (66).
  static func checkStandardInput(_ input: String) throws {
    if let refusal = terminalRefusal(input: input, standardInputIsTerminal: Descriptor.isTerminal(STDIN_FILENO)) {
      throw CommandFailure("-", refusal, code: ExitStatus.noInput)
    }
  }
}
