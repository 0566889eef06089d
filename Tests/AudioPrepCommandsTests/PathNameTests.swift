import AudioPrepCommands
import Testing

/// Path arithmetic without Foundation: names, stems, directories, absolute and relative paths.
@Suite struct PathNameTests {
  @Test func namesAndExtensions() {
    #expect(PathName.fileExtension("a/b/talk.flac") == "flac")
    #expect(PathName.fileExtension("x.tar.gz") == "gz")
    #expect(PathName.fileExtension("a.d/talk") == "")
    #expect(PathName.fileExtension(".hidden") == "")
    #expect(PathName.fileExtension("a/.hidden") == "")
    #expect(PathName.fileExtension("talk.") == "")
    #expect(PathName.fileExtension("dir.x/") == "")
    #expect(PathName.lastComponent("a/b/talk.flac") == "talk.flac")
    #expect(PathName.lastComponent("talk.flac") == "talk.flac")
  }

  @Test func stems() {
    #expect(PathName.stem("a/b/talk.flac") == "talk")
    #expect(PathName.stem("x.tar.gz") == "x.tar")
    #expect(PathName.stem(".hidden") == ".hidden")
    #expect(PathName.stem("a.d/talk") == "talk")
    #expect(PathName.stem("talk.") == "talk.")
  }

  @Test func directoryPrefixes() {
    #expect(PathName.directoryPrefix("a/b/talk.flac") == "a/b/")
    #expect(PathName.directoryPrefix("talk.flac") == "")
    #expect(PathName.directoryPrefix("/talk.flac") == "/")
    #expect(PathName.directoryPrefix("a/b/") == "a/b/")
  }

  @Test func joins() {
    #expect(PathName.join("", "x") == "x")
    #expect(PathName.join("d", "x") == "d/x")
    #expect(PathName.join("d/", "x") == "d/x")
    #expect(PathName.join("/", "x") == "/x")
  }

  @Test func absolutePathsAreNormalisedLexically() {
    #expect(PathName.absolute("b/./c", in: "/a") == "/a/b/c")
    #expect(PathName.absolute("/x//y/", in: "/a") == "/x/y")
    #expect(PathName.absolute("x", in: "/") == "/x")
    #expect(PathName.absolute(".", in: "/a/b/") == "/a/b")
    #expect(PathName.absolute("../x", in: "/a") == nil)
    #expect(PathName.absolute("x", in: "/a/../b") == nil)
  }

  @Test func relativeBelowARoot() {
    #expect(PathName.relative("/a/b/c", below: "/a") == "b/c")
    #expect(PathName.relative("/x", below: "/") == "x")
    #expect(PathName.relative("/a", below: "/a") == nil)
    #expect(PathName.relative("/ab/c", below: "/a") == nil)
    #expect(PathName.relative("/b/c", below: "/a") == nil)
  }

  @Test func relativeFromADirectory() {
    #expect(PathName.relative("/t/a/s_0001.wav", from: "/t/a/") == "s_0001.wav")
    #expect(PathName.relative("/t/a/s_0001.wav", from: "/t/b") == "../a/s_0001.wav")
    #expect(PathName.relative("/t/a/s_0001.wav", from: "/u/v") == "../../t/a/s_0001.wav")
    #expect(PathName.relative("/t/a/s.wav", from: "/") == "t/a/s.wav")
    // Relative paths are both made absolute against the current directory first.
    #expect(PathName.relative("a/s.wav", from: "a/") == "s.wav")
    #expect(PathName.relative("a/s.wav", from: "") == "a/s.wav")
    #expect(PathName.relative("a/s.wav", from: "b/c") == "../../a/s.wav")
    // ".." is resolved against the real directories (#9: it was left as given, and wrong).
    #expect(PathName.relative("../s.wav", from: "a") == "../../s.wav")
  }
}
