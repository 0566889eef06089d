import DSP

extension SegmentPattern {
  /// The directory the segments are written in, as spelled ("" for the current one); nil when
  /// the number field lies in a directory's name (`d%d/x.wav`): no one directory holds them.
  package var directory: String? {
    suffix.contains("/") ? nil : PathName.directoryPrefix(prefix)
  }

  /// The pattern as a printf format: "d/S_%04d.wav".
  package var spelled: String {
    func escaped(_ text: String) -> String { String(text.flatMap { $0 == "%" ? ["%", "%"] : [$0] }) }
    return escaped(prefix) + (width > 1 ? "%0\(width)d" : "%d") + escaped(suffix)
  }

  /// This pattern, and the same names in every other container audioprep writes when its
  /// suffix is one's extension (`S_%04d.wav`: also `S_%04d.flac` …): an earlier run's segments
  /// of a run in another format (review47 H05: left beside the new ones, in no list, and every
  /// later run refused on them).
  package var inEveryFormat: [SegmentPattern] {
    guard let current = Container.allCases.first(where: { suffix.hasSuffix("." + $0.fileExtension) }) else { return [self] }
    let stem = String(spelled.dropLast(current.fileExtension.count))
    return [self] + Container.allCases.filter { $0 != current }.compactMap { SegmentPattern(stem + $0.fileExtension) }
  }

  /// The index whose segment is called `name` (a last component), or nil when this pattern
  /// makes no such name: `S_0007.wav` is index 7 of `S_%04d.wav`; `S_7.wav`, `S_00007.wav` and
  /// `notes.txt` are none of its names. Compared as bytes, as the file system does.
  package func index(ofName name: String) -> Int? {
    guard directory != nil else { return nil }
    let head = PathName.lastComponent(prefix + "0").dropLast()
    guard name.hasPrefix(head), name.hasSuffix(suffix), name.count > head.count + suffix.count else { return nil }
    let digits = name.dropFirst(head.count).dropLast(suffix.count)
    guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let index = Int(digits),
      PathBytes.bytes(of: PathName.lastComponent(path(index))) == PathBytes.bytes(of: name)
    else { return nil }
    return index
  }
}
