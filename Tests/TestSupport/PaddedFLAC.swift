/// The fixture `speech.flac` with a last PADDING block of 5 MiB after its metadata, which puts
/// its audio past a pipe's 4 MiB window, and 2500 zeroed bytes 20000 bytes before its end: a
/// FLAC a pipe must resume after damage from the tail it keeps (review35 R13, stop 40).
package func paddedFLACWithAHole() -> [UInt8] {
  let plain = readWholeFile(fixtures + "/speech.flac")
  // The metadata blocks, the last one's flag cleared; then a last PADDING block of 5 MiB.
  var offset = 4
  var metadata: [UInt8] = Array("fLaC".utf8)
  while true {
    let last = plain[offset] & 0x80 != 0
    let length = Int(plain[offset + 1]) << 16 | Int(plain[offset + 2]) << 8 | Int(plain[offset + 3])
    metadata += [plain[offset] & 0x7F] + plain[offset + 1..<offset + 4 + length]
    offset += 4 + length
    if last { break }
  }
  let padding = 5 << 20
  metadata += [0x81, UInt8(padding >> 16), UInt8((padding >> 8) & 0xFF), UInt8(padding & 0xFF)] + [UInt8](repeating: 0, count: padding)
  var bytes = metadata + plain[offset...]
  bytes.replaceSubrange(bytes.count - 20000..<bytes.count - 17500, with: repeatElement(0, count: 2500))
  return bytes
}
