import Glibc

/// The signal dispositions audioprep sets before it runs anything.
///
/// - SIGXFSZ is ignored. By default the kernel kills a process that writes past its file-size
///   limit (`ulimit -f`, RLIMIT_FSIZE) on the spot, which would leave the temporary output file
///   behind; ignored, the write fails with EFBIG, and audioprep removes the temporary file and
///   exits 74 ("File too large") like any other write failure.
/// - SIGPIPE is left as inherited. With the default disposition a closed standard output
///   (`audioprep big.wav -o - | head -c 1000`) ends audioprep quietly by SIGPIPE (status 141
///   in a shell), as it ends other Unix filters; if the parent ignores SIGPIPE, the write fails
///   with EPIPE and audioprep exits 0, equally quietly.
/// - SIGINT and SIGTERM are handled by `TemporaryFiles` (installed by each command that writes).
enum SignalDispositions {
  static func install() {
    signal(SIGXFSZ, SIG_IGN)
  }
}
