// swift-tools-version: 6.0
import Foundation
import PackageDescription

// The folder of the executable's `libstdc++.a` (see the `audioprep` target), given to the linker
// only where the symbolic link in it resolves: the linker stops at a dangling one, and without it
// takes the shared library, as before. (SwiftPM keeps a manifest's evaluation until the manifest
// changes.)
let staticLibraries = Context.packageDirectory + "/Sources/audioprep/static-libraries"
let staticLibstdcxx: [LinkerSetting] =
  FileManager.default.fileExists(atPath: staticLibraries + "/libstdc++.a")
  ? [.unsafeFlags(["-L", staticLibraries])] : []

let package = Package(
  name: "audioprep",
  products: [
    .library(name: "DSP", targets: ["DSP"]),
    .executable(name: "audioprep", targets: ["audioprep"]),
    // The C interface (libAudioPrepC.so), which the Python package (python/) loads.
    .library(name: "AudioPrepC", type: .dynamic, targets: ["AudioPrepC"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // File descriptors with EINTR retried and errno captured at the call (`Errno`).
    .package(url: "https://github.com/apple/swift-system", from: "1.8.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
    .systemLibrary(
      name: "CSampleRate", pkgConfig: "samplerate", providers: [.apt(["libsamplerate0-dev"])]),
    // libsoxr (`--resampler soxr`) and libebur128 (loudness): headers only, the libraries are
    // loaded with dlopen on first use, as FFmpeg's are (see their shim.h). No pkgConfig: its
    // `-lsoxr`/`-lebur128` would map them, and libsoxr's libgomp, at every start (issue 22).
    .systemLibrary(name: "CSoxr", providers: [.apt(["libsoxr-dev"])]),
    // WebRTC's voice-activity detector (`--utterances`, `--at-pauses`): the library exports
    // `WebRtcVad_*`, the package ships no header for them (see shim.h). The library
    // (libwebrtc_audio_processing.so.1) is loaded with dlopen on first use, by this shim and
    // CWebRtcAudioProcessing's: linked, it was mapped at every start and its 1,161 symbol
    // relocations resolved, a third of the dynamic loader's lookups (issue 22).
    .systemLibrary(name: "CWebRtcVAD", providers: [.apt(["libwebrtc-audio-processing-dev"])]),
    // WebRTC's noise suppression and gain control (`--denoise`, `--agc`): the library's API is
    // C++ (`webrtc::AudioProcessing`), so a small C++ shim gives Swift a C API, and finds the one
    // function it calls by name with dlsym. The headers' folder, /usr/include/webrtc_audio_processing
    // (Debian's libwebrtc-audio-processing-dev), is reached through the symbolic link
    // `webrtc-headers`: pkg-config's entry would give it too, but with `-lwebrtc_audio_processing`,
    // which SwiftPM puts on the link line before anything a target can add, and an `-I` of our
    // own would be an unsafe flag, which keeps DSP, the library product, from being a dependency.
    .target(
      name: "CWebRtcAudioProcessing", exclude: ["webrtc-headers"],
      cxxSettings: [
        .headerSearchPath("webrtc-headers"), .define("WEBRTC_AUDIO_PROCESSING_ONLY_BUILD"), .define("WEBRTC_POSIX"),
      ]),
    // EBU R128 / ITU-R BS.1770 loudness, loudness range and true peak (`LoudnessMeter`).
    .systemLibrary(name: "CEbur128", providers: [.apt(["libebur128-dev"])]),
    // The polyphase resampler's AVX2/FMA kernel, chosen at run time (default target flags).
    .target(name: "CPolyphase"),
    // libavformat, libavcodec and libavutil, for what libsndfile does not read: headers only,
    // the libraries are loaded with dlopen on first use (see Sources/CFFmpeg/shim.h). No
    // pkgConfig: its `-lavformat` would load them, and libavcodec's ~130 codec libraries, at every
    // start (peak RSS 16 → 38 MB for a WAV); the headers are in the default include path.
    .systemLibrary(
      name: "CFFmpeg", providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev"])]),
    .target(
      name: "DSP",
      dependencies: [
        "CSndFile", "CSampleRate", "CSoxr", "CEbur128", "CPolyphase", "CFFmpeg", "CWebRtcVAD",
        "CWebRtcAudioProcessing",
        .product(name: "SystemPackage", package: "swift-system"),
      ]),
    // Every command, its options and its logic: what the executable, the fuzzer and the unit
    // tests share. `package` access, not `public`: only this package uses it.
    //
    // Concrete generic types (`KeyedDecodingContainer<X.CodingKeys>` in each options group's
    // `init(from:)`, a `Set<Character>`) through their metadata accessors, not by mangled name:
    // a name is demangled at run time and each of its conformances (`X.CodingKeys: CodingKey`)
    // looked up by a scan of every conformance record in the binary, at every start (issue 22).
    // Unsafe flags keep the targets that have them from being built as another package's
    // dependency: DSP, the library product, stays without them.
    .target(
      name: "AudioPrepCommands",
      dependencies: ["DSP", .product(name: "ArgumentParser", package: "swift-argument-parser")],
      swiftSettings: [.unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"])]),
    // The executable links GCC's C++ library statically: `-lstdc++` (the Swift runtime's, in the
    // toolchain's static-stdlib-args.lnk, and the WebRTC shim's) finds `libstdc++.a` through the
    // symbolic link in `static-libraries` (to Debian 12's libstdc++-12-dev) before the toolchain's
    // folder, which has the shared one. Loaded as libstdc++.so.6, its relocations, symbol lookups
    // and start-up took 0.8-1.1 ms of a 3 s file's 10 ms (issue 22); linked in, only what the
    // runtime and the shim use is kept, and its symbols stay hidden (the runtime's `--exclude-libs
    // ALL`), so a library loaded later with libstdc++.so.6 (WebRTC's) keeps its own.
    .executableTarget(
      name: "audioprep", dependencies: ["AudioPrepCommands"], exclude: ["static-libraries"],
      linkerSettings: staticLibstdcxx),
    // The C interface: `@_cdecl` functions over the commands' run and option parsing (the
    // command line's option names, messages and exit codes), declared in audioprep.h.
    .target(name: "AudioPrepC", dependencies: ["AudioPrepCommands", "DSP"], exclude: ["audioprep.h"]),
    // What the test targets share: running the built binary (`audioprep`, `spawn`,
    // `spawnAudioprep`, `bash`), scratch directories, the fixtures, the chain with filters off.
    .target(
      name: "TestSupport", dependencies: ["DSP"], path: "Tests/TestSupport",
      swiftSettings: [.swiftLanguageMode(.v5)]),
    // Linked with libsoxr and libebur128: its reference checks call them directly.
    .testTarget(
      name: "DSPTests", dependencies: ["DSP", "CSampleRate", "CSndFile", "CSoxr", "CEbur128", "TestSupport"],
      swiftSettings: [.swiftLanguageMode(.v5)], linkerSettings: [.linkedLibrary("soxr"), .linkedLibrary("ebur128")]),
    // Uses nothing but `import DSP`, as an outside package would.
    // The library as another package sees it (TestSupport only to run the CLI beside it).
    .testTarget(name: "PublicAPITests", dependencies: ["DSP", "TestSupport"]),
    // The commands' own logic, called directly: JSON lines, manifests, shards, options, paths.
    .testTarget(name: "AudioPrepCommandsTests", dependencies: ["AudioPrepCommands", "DSP"]),
    .testTarget(
      name: "audioprepTests", dependencies: ["audioprep", "CSndFile", "TestSupport"],
      swiftSettings: [.swiftLanguageMode(.v5)]),
  ]
)

// The libFuzzer target, only for `make fuzz` (AUDIOPREP_FUZZ=1 with --sanitize=fuzzer): it has
// no main of its own, libFuzzer supplies it, so an ordinary `swift build` must not see it.
if Context.environment["AUDIOPREP_FUZZ"] == "1" {
  package.targets.append(
    .executableTarget(
      name: "audioprep-fuzz",
      dependencies: [
        "AudioPrepCommands", "DSP", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
  package.products.append(.executable(name: "audioprep-fuzz", targets: ["audioprep-fuzz"]))
}
