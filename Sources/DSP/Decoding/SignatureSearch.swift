import Glibc

/// Every signature the scan of an input looks for (`StreamHeaderScanner`), found in one pass
/// over its bytes: the stream headers of the `distinctive` containers, where a walk resumes or
/// another file is joined on (`ContainerStructure`); the NUT index and APE tag markers; and
/// an MP3's second-file headers, an ID3v2 tag and a LAME `Info`/`Xing` frame (`MPEGFiles`).
///
/// A pass probes every `step`-th position (`step` one less than the shortest signature, so
/// that every occurrence has one probe among its first bytes) with its two bytes, in a 64 KiB
/// table of the signatures' pairs at those places; only a pair in the table is checked
/// against the signatures it begins. (A `memchr` of each signature's first byte, then a
/// `memcmp` at each, stopped every 256 bytes of compressed audio, 30 times over: 40 % of
/// `info DIR`'s CPU.)
struct SignatureSearch: Sendable {
  /// What a signature marks.
  enum Mark: Equatable, Sendable {
    /// A stream header of this container (at its `signatureOffset`: an ID3v2 tag for `.mpeg`),
    /// or a NUT index or APE tag.
    case kind(ContainerHeader.Kind)
    /// A LAME `Info` or `Xing` header.
    case info, xing
  }

  struct Signature: Sendable {
    let bytes: [UInt8]
    /// How far into what it marks the signature sits: a header starts this many bytes before.
    let shift: Int
    let mark: Mark
  }

  /// A signature found: `signature` indexes `signatures`, `mark` is its; `start` is where what it marks
  /// starts (its bytes' index less its shift; below zero when that lies before the bytes
  /// searched), an index into the bytes searched.
  struct Hit: Sendable {
    let start: Int
    let signature: Int
    let mark: Mark
  }

  /// In the order that decides between signatures found at the same start: the containers in
  /// `distinctive` order (a RIFF is a WAV before an AVI), then the markers.
  let signatures: [Signature]
  private let step: Int
  /// For each pair of bytes `a | b << 8`: 0 when it is no signature's bytes `k`, `k + 1` for a
  /// `k` below `step`, else 1 + its index in `holders`.
  private let pairs: [UInt8]
  /// Which signatures hold each pair in the table, and at which `k`.
  private let holders: [[(signature: Int, at: Int)]]

  init(_ signatures: [Signature]) {
    precondition(signatures.allSatisfy { $0.bytes.count >= 2 })
    self.signatures = signatures
    step = (signatures.map(\.bytes.count).min() ?? 2) - 1
    var pairs = [UInt8](repeating: 0, count: 1 << 16)
    var holders: [[(signature: Int, at: Int)]] = []
    for (index, signature) in signatures.enumerated() {
      for at in 0..<step {
        let pair = Int(signature.bytes[at]) | Int(signature.bytes[at + 1]) << 8
        if pairs[pair] == 0 {
          holders.append([])
          pairs[pair] = UInt8(holders.count)
        }
        holders[Int(pairs[pair]) - 1].append((index, at))
      }
    }
    self.pairs = pairs
    self.holders = holders
  }

  /// The signatures searched in every input.
  static let common = SignatureSearch(
    ContainerHeader.Kind.distinctive.flatMap { kind in
      kind.signatures.map { Signature(bytes: $0, shift: kind.signatureOffset, mark: .kind(kind)) }
    }
      + [ContainerHeader.Kind.nutIndex, .apeTag].map { Signature(bytes: $0.signature, shift: 0, mark: .kind($0)) }
      + [Signature(bytes: Array("Info".utf8), shift: 0, mark: .info), Signature(bytes: Array("Xing".utf8), shift: 0, mark: .xing)])

  /// The containers whose signature is too short to be told from audio by itself (IRCAM, SDS,
  /// MPC2K).
  private static let shortSignatureKinds = ContainerHeader.Kind.streams.filter { kind in
    !kind.signatures.isEmpty && !ContainerHeader.Kind.distinctive.contains(kind)
  }

  /// Each of `shortSignatureKinds` with the common signatures: searched where such a file's walk
  /// loses its structure. Built only for such a file: each search is a 64 KiB table, whose
  /// zeroing was 48 of a WAV run's page faults (issue 22).
  private static let withShortSignatures: [ContainerHeader.Kind: SignatureSearch] = Dictionary(
    uniqueKeysWithValues: shortSignatureKinds.map { kind in
      (kind, SignatureSearch(common.signatures + kind.signatures.map { Signature(bytes: $0, shift: kind.signatureOffset, mark: .kind(kind)) }))
    })

  /// The signatures searched in an input that starts with a `kind` file (nil: none known).
  static func searched(in kind: ContainerHeader.Kind?) -> SignatureSearch {
    guard let kind, shortSignatureKinds.contains(kind) else { return common }
    return withShortSignatures[kind] ?? common
  }

  /// Every signature in `raw`, by start, then by its place in `signatures`.
  func hits(in raw: UnsafeRawBufferPointer) -> [Hit] {
    guard raw.count >= step + 1 else { return [] }
    var found: [Hit] = []
    let bytes = raw.baseAddress!
    let count = raw.count
    pairs.withUnsafeBufferPointer { pairs in
      /// The pair at `at`'s entry in the table.
      func entry(_ at: Int) -> UInt8 { pairs[Int(bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self).littleEndian)] }
      func check(_ at: Int) {
        for (index, offset) in holders[Int(entry(at)) - 1] {
          let signature = signatures[index]
          let position = at - offset
          guard position >= 0, position + signature.bytes.count <= count else { continue }
          let same = signature.bytes.withUnsafeBytes { memcmp(bytes + position, $0.baseAddress!, $0.count) == 0 }
          if same { found.append(Hit(start: position - signature.shift, signature: index, mark: signature.mark)) }
        }
      }
      var at = 0
      while true {
        at = Self.nextRound(bytes, count: count, pairs: pairs.baseAddress!, from: at, step: step)
        guard at &+ 3 &* step &+ 2 <= count else { break }
        for probe in stride(from: at, to: at + 4 * step, by: step) where entry(probe) != 0 { check(probe) }
        at &+= 4 &* step
      }
      while at + 2 <= count {
        if entry(at) != 0 { check(at) }
        at += step
      }
    }
    // Found by probe, which a signature's shift can put out of order.
    if zip(found, found.dropFirst()).contains(where: { Self.precedes($1, $0) }) { found.sort(by: Self.precedes) }
    return found
  }

  /// The first round of four probes from `at` (at `at`, `at + step`, …) with a pair in the
  /// table, or the first whose last pair is not all in `count` bytes: the hot loop, alone, so
  /// that it keeps everything in registers (a pair in the table is rare in audio).
  private static func nextRound(_ bytes: UnsafeRawPointer, count: Int, pairs: UnsafePointer<UInt8>, from at: Int, step: Int) -> Int {
    @inline(__always) func entry(_ at: Int) -> UInt8 { pairs[Int(bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self).littleEndian)] }
    @inline(__always) func rounds(step: Int) -> Int {
      var at = at
      while at &+ 3 &* step &+ 2 <= count, entry(at) | entry(at &+ step) | entry(at &+ 2 &* step) | entry(at &+ 3 &* step) == 0 {
        at &+= 4 &* step
      }
      return at
    }
    return step == 3 ? rounds(step: 3) : rounds(step: step)  // (3: the common signatures')
  }

  private static func precedes(_ a: Hit, _ b: Hit) -> Bool { a.start != b.start ? a.start < b.start : a.signature < b.signature }

  /// The index of the first of `hits` (sorted, from `hits(in:)`) that starts at or after `start`.
  static func first(in hits: [Hit], startingFrom start: Int) -> Int {
    var low = 0
    var high = hits.count
    while low < high {
      let middle = (low + high) / 2
      if hits[middle].start < start { low = middle + 1 } else { high = middle }
    }
    return low
  }
}
