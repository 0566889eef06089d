import Foundation
import TestSupport
import XCTest

/// An Ogg Opus stream whose first page of audio carries the smallest granule position (its
/// checksum right) trapped from standard input (SIGILL, 132): where the stream starts was its
/// granule less its samples, an overflow. Every decoder, from the file and a pipe, ends with
/// a status it documents.
final class OpusGranuleExtremesTests: XCTestCase {
  func testTheSmallestGranuleOnTheFirstAudioPageIsNoCrash() throws {
    let directory = try scratchDirectory(self)
    let result = try bash(
      """
      sox -n -r 48000 -c 1 t.wav synth 2 sine 440 vol 0.3 && ffmpeg -v error -i t.wav -c:a libopus -b:a 32k t.opus || exit 9
      python3 - <<'PY'
      import struct
      table = []
      for i in range(256):
          r = i << 24
          for _ in range(8):
              r = ((r << 1) ^ 0x04C11DB7) & 0xFFFFFFFF if r & 0x80000000 else (r << 1) & 0xFFFFFFFF
          table.append(r)
      def crc(b):
          r = 0
          for x in b:
              r = ((r << 8) ^ table[((r >> 24) ^ x) & 0xFF]) & 0xFFFFFFFF
          return r
      d = bytearray(open("t.opus", "rb").read())
      pages, i = [], 0
      while i + 27 <= len(d) and d[i:i + 4] == b"OggS":
          n = d[i + 26]
          end = i + 27 + n + sum(d[i + 27:i + 27 + n])
          pages.append((i, end))
          i = end
      a, b = pages[2]
      page = bytearray(d[a:b])
      page[6:14] = struct.pack("<q", -2**63)
      page[22:26] = b"\\0\\0\\0\\0"
      page[22:26] = struct.pack("<I", crc(bytes(page)))
      d[a:b] = page
      open("smallest.opus", "wb").write(d)
      PY
      for decoder in auto sndfile ffmpeg; do
        "$AP" smallest.opus --decoder $decoder -o f.wav --force -q; echo "$decoder file $?"
        cat smallest.opus | "$AP" - --decoder $decoder -o p.wav --force -q; echo "$decoder pipe $?"
      done
      """, in: directory)
    let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n")
    XCTAssertEqual(lines.count, 6, result.stderr)
    for line in lines {
      let status = Int(line.split(separator: " ").last ?? "") ?? -1
      XCTAssertTrue([0, 65].contains(status), "\(line): \(result.stderr)")
    }
  }
}
