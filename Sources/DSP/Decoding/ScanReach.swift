/// How much of a file `StreamHeaderScanner.scan(file:reach:)` reads to find other files joined
/// on (`cat a.flac b.flac`).
package enum ScanReach: Sendable {
  /// Every byte the walk of the container's structure does not step over: every file joined
  /// on is found, wherever it starts. Whatever decodes the input (process, batch, verify,
  /// `info FILE`, `info --levels`, the library) scans this far.
  case everything
  /// Only what the walk of the structure needs: the first block, then only where the walk
  /// skips what follows unread (a WAV's data chunk, an MP4's `mdat`, a Matroska element). Where
  /// it would have to read on through the audio itself (FLAC frames, Ogg pages, MP3 frames, a
  /// chunk running to the end), it stops: a file joined on there is not found. `info DIR`
  /// reads headers this far (as soxi does), not the whole corpus.
  case structure
}
