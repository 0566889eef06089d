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
