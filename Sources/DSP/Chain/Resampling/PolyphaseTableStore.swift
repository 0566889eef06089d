import Glibc

/// Polyphase tables kept on disk between processes, so that a process converting one short file
/// does not measure libsamplerate again (medium 44.1k → 16k: 12 ms; best: 76 ms).
///
/// One file per (libsamplerate version, converter, p, q), in the format of
/// `PolyphaseTableFile` (checksummed, every field checked on load). The store is never
/// required: a missing, damaged, foreign or unreadable file is ignored (the table is measured),
/// and a directory that cannot be created or written is ignored too (nothing is saved). Files
/// are written through `OutputFile`: a temporary created `O_EXCL | O_NOFOLLOW`, removed on
/// SIGINT/SIGTERM, renamed over the name only once complete, so no half-written table ever
/// sits under a final name, and a symlink there is replaced, never followed. The files hold at
/// most `capacityBytes` together: a save removes the tables used least recently beyond it.
public final class PolyphaseTableStore: @unchecked Sendable {
  /// The directory the files live in (created on the first save).
  public let directory: String
  /// The most its files may hold together: past it, a save removes the tables used least
  /// recently (a speed-perturbation loader asks a new ratio on every call).
  public let capacityBytes: Int64

  /// 64 MiB: the tables of about 130 ratios at `best` (500 KiB each from 44.1 kHz), 400 at the
  /// default `medium` (160 KiB).
  public static let defaultCapacityBytes: Int64 = 64 << 20

  public init(directory: String, capacityBytes: Int64 = defaultCapacityBytes) {
    self.directory = directory
    self.capacityBytes = capacityBytes
  }

  /// `$XDG_CACHE_HOME/audioprep`, else `$HOME/.cache/audioprep` (relative paths are ignored, as
  /// the XDG base directory specification asks); nil when neither is set, or when
  /// `AUDIOPREP_TABLE_CACHE` is `off` (or `0`).
  public static func fromEnvironment() -> PolyphaseTableStore? {
    func variable(_ name: String) -> String? {
      guard let value = getenv(name) else { return nil }
      let text = PathBytes.string(fromCString: value)
      return text.isEmpty ? nil : text
    }
    if let switchValue = variable("AUDIOPREP_TABLE_CACHE"), ["off", "0"].contains(switchValue) { return nil }
    if let cache = variable("XDG_CACHE_HOME"), cache.hasPrefix("/") {
      return PolyphaseTableStore(directory: cache + "/audioprep")
    }
    if let home = variable("HOME"), home.hasPrefix("/") {
      return PolyphaseTableStore(directory: home + "/.cache/audioprep")
    }
    return nil
  }

  /// "polyphase-libsamplerate-0.2.2-medium-160-441.table": what the table depends on, in its
  /// name; the file repeats it, with libsamplerate's full version string, and `load` checks it.
  func fileName(converter: ConverterType, p: Int, q: Int) -> String {
    let version = Resampler.libraryVersion.prefix { $0 != " " }.map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : "_" }
    return "polyphase-\(String(version))-\(converter.rawValue)-\(p)-\(q).table"
  }

  /// The stored table for `converter` at p/q, or nil when there is none that is intact and
  /// made by this libsamplerate. The taps are read straight into the table's own memory (one
  /// copy, no buffer of the whole file).
  func load(converter: ConverterType, p: Int, q: Int) -> PolyphaseTable? {
    let started = monotonicSeconds()
    let path = directory + "/" + fileName(converter: converter, p: p, q: q)
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
    guard descriptor >= 0 else { return nil }
    defer { try? Descriptor.close(descriptor) }
    guard let status = Descriptor.status(of: descriptor), status.isRegular, status.size > 0,
      status.size <= Int64(PolyphaseTableFile.maxSize)
    else { return nil }
    let version = Resampler.libraryVersion
    var headerBytes = [UInt8](repeating: 0, count: PolyphaseTableFile.headerSize(libraryVersion: version))
    guard headerBytes.withUnsafeMutableBytes({ Self.readExactly(descriptor, into: $0) }),
      let header = headerBytes.withUnsafeBytes({
        PolyphaseTableFile.header(
          $0, converter: converter, p: p, q: q, libraryVersion: version, fileSize: Int(status.size))
      })
    else { return nil }
    let count = p * header.stride
    let taps = PolyphaseTable.allocateTaps(count)
    let tapBytes = UnsafeMutableRawBufferPointer(start: taps, count: count * 4)
    var stored: UInt64 = 0
    var beyond: UInt8 = 0
    guard Self.readExactly(descriptor, into: tapBytes),
      withUnsafeMutableBytes(of: &stored, { Self.readExactly(descriptor, into: $0) }),
      // Nothing after the checksum: a file that grew since fstat is not taken for complete.
      withUnsafeMutableBytes(of: &beyond, { (try? Descriptor.read(descriptor, into: $0)) == 0 }),
      UInt64(littleEndian: stored)
        == PolyphaseTableFile.checksum(
          UnsafeRawBufferPointer(tapBytes),
          continuing: headerBytes.withUnsafeBytes { PolyphaseTableFile.checksum($0) })
    else {
      taps.deallocate()
      return nil
    }
    #if _endian(big)
      for i in 0..<count { taps[i] = Float(bitPattern: UInt32(littleEndian: taps[i].bitPattern)) }
    #endif
    _ = futimens(descriptor, nil)  // used now: the last to go when the store makes room
    return PolyphaseTable(
      converter: converter, p: p, q: q, firstTap: header.firstTap, stride: header.stride, owning: taps,
      origin: .stored(seconds: monotonicSeconds() - started))
  }

  /// Fills `buffer` from `descriptor`; false at an early end or on an error.
  private static func readExactly(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
    var filled = 0
    while filled < buffer.count {
      guard let count = try? Descriptor.read(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])),
        count > 0
      else { return false }
      filled += count
    }
    return true
  }

  /// Saves `table`, replacing what is stored under its name; does nothing when the directory
  /// cannot be created or written (the cache is never required).
  func save(_ table: PolyphaseTable) {
    guard makeDirectory() else { return }
    let bytes = PolyphaseTableFile.encode(table, libraryVersion: Resampler.libraryVersion)
    let name = fileName(converter: table.converter, p: table.p, q: table.q)
    do {
      let output = try OutputFile(
        name: name, in: OutputDirectory.open(directory), path: directory + "/" + name, overwrite: true,
        devicesInPlace: false)
      try bytes.withUnsafeBytes { try output.write($0) }
      try output.commit()
    } catch {
      // Unwritable, full, or taken by another output of this run: the table stays in memory only.
      return
    }
    makeRoom(keeping: name)
  }

  /// Removes the temporaries dead processes left, then the tables used least recently (by
  /// modification time: a save or a load sets it) until the store's files hold no more than
  /// `capacityBytes`, all but `kept`, the one just saved. Another process removing the same file
  /// meanwhile is no error.
  private func makeRoom(keeping kept: String) {
    let opened = Descriptor.open(directory, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard opened >= 0 else { return }
    defer { try? Descriptor.close(opened) }
    var tables: [(name: String, size: Int64, used: timespec)] = []
    var temporaries: [String] = []
    try? DirectoryListing.forEach(in: opened) { entry in
      if entry.name.hasPrefix(".polyphase-"), TemporaryFiles.isTemporaryName(PathBytes.bytes(of: entry.name)) { temporaries.append(entry.name) }
      guard entry.name.hasPrefix("polyphase-"), entry.name.hasSuffix(".table"),
        let status = Descriptor.status(entry.name, in: opened, following: false), status.isRegular
      else { return }
      tables.append((entry.name, status.size, status.modified))
    }
    // A save's temporary that a killed process left (`kill -9` between its write and its
    // rename): removed once nobody holds it (hostile review 36b, P1: nothing removed them).
    for name in temporaries { _ = UnheldTemporary.remove(name, in: opened) }
    var total = tables.reduce(0) { $0 + $1.size }
    guard total > capacityBytes else { return }
    let oldestFirst = tables.filter { $0.name != kept }.sorted {
      ($0.used.tv_sec, $0.used.tv_nsec) < ($1.used.tv_sec, $1.used.tv_nsec)
    }
    for table in oldestFirst where total > capacityBytes {
      _ = Descriptor.unlink(table.name, in: opened)
      total -= table.size
    }
  }

  /// Creates the directory and its missing parents, private to the user (0700, as the XDG
  /// specification asks for its base directories); false when it cannot be.
  private func makeDirectory() -> Bool {
    if let status = Descriptor.status(directory) { return status.isDirectory }
    var prefix = ""
    for component in directory.split(separator: "/") {
      prefix += "/" + component
      if Descriptor.makeDirectory(prefix, mode: 0o700) != 0 && errno != EEXIST { return false }
    }
    return Descriptor.status(directory)?.isDirectory == true
  }
}
