# audioprep — the two commands: `make demo` and `make test`. Each installs what it needs.
SHELL := /bin/bash
APT_PACKAGES := libsndfile1-dev libsamplerate0-dev libsoxr-dev libebur128-dev libavformat-dev libavcodec-dev libavutil-dev libwebrtc-audio-processing-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/release/audioprep
DEMO_OUT := demo-out

.PHONY: setup build python wheel test test-fast test-deps test-sanitize test-cluster test-e2e test-manifests test-loudness test-python fuzz demo clean fixtures docs man completions stress

## setup: install the C libraries from Debian when missing (idempotent)
setup:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

## build: the release binary at .build/release/audioprep, with the Swift runtime linked in
## statically: it runs on machines without a Swift toolchain and peaks ~3 MB lower in RSS.
## GCC's libstdc++ is linked in too (Package.swift's `audioprep` target, issue 22).
## No $ORIGIN run path (SwiftPM's default): with the runtime linked in there is nothing to find
## beside the binary, and the loader looked there first for each of its 17 libraries, 27 failing
## opens and 22 failing stats in every process (issue 22)
build: setup
	swift build -c release --product audioprep --static-swift-stdlib --disable-local-rpath

## python: the C interface (.build/release/libAudioPrepC.so, Sources/AudioPrepC) and the Python
## package over it (python/), installed into PYTHON_VENV (default: the tests' venv) with the
## library beside the package. Built with `build`'s flags, so that the two share one build
## (other flags rebuild everything); a shared library cannot link the Swift runtime in, so the
## package carries it, and libsoxr, libebur128 and WebRTC's audio processing, beside the library
## (python/bundle-libraries; patchelf sets their run path to $ORIGIN)
PYTHON_VENV ?= $(E2E_VENV)
PYTHON_LIBRARY := .build/release/libAudioPrepC.so
SWIFT_STATIC_LIBS = $(shell dirname "$$(readlink -f "$$(command -v swift)")")/../lib/swift_static/linux
python: setup
	@$(MAKE) --no-print-directory setup APT_PACKAGES=patchelf
	swift build -c release --product AudioPrepC --static-swift-stdlib -Xlinker -L$(SWIFT_STATIC_LIBS)
	rm -f python/audioprep/*.so python/audioprep/*.so.*
	cp $(PYTHON_LIBRARY) python/audioprep/
	python/bundle-libraries python/audioprep/libAudioPrepC.so
	@python3 -c 'import ensurepip' 2>/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends python3-venv >/dev/null; }
	@[ -x $(PYTHON_VENV)/bin/python ] || python3 -m venv $(PYTHON_VENV)
	rm -rf python/build
	$(PYTHON_VENV)/bin/python -m pip install -q --disable-pip-version-check ./python

## wheel: dist/audioprep-VERSION-py3-none-linux_x86_64.whl, the package with the libraries it
## carries: it installs with pip where Debian's libsndfile1, libsamplerate0 and FFmpeg libraries
## are, no Swift toolchain needed
wheel: python
	rm -rf python/build
	$(PYTHON_VENV)/bin/python -m pip wheel -q --disable-pip-version-check --no-deps -w dist ./python

## test: the whole suite, again under ThreadSanitizer and AddressSanitizer, then the Slurm
## script on a real single-node Slurm, then a real recognizer (`make test SANITIZE=0` skips the
## sanitizer runs)
SANITIZE ?= 1
## test-deps: tools the tests make inputs with and read outputs back with (never needed to run
## audioprep): sox/soxi, with libsox-fmt-mp3 (libmad: the independent decoder free-format MPEG
## audio is compared with; Debian's sox only recommends it); ffmpeg/ffprobe, which also makes the M4A, WebM, MKV, AMR and WMA
## fixtures and is the reference their decoded samples must equal; Debian's Python 3.11 with
## python3-soundfile; jq, which a docs example pipes `info --json` into; strace, which holds a
## run for a second at one system call so that a test can act inside a window of microseconds
## (an extra segment edited while a run settles)
TEST_PACKAGES := sox libsox-fmt-mp3 ffmpeg python3-soundfile jq strace
test-deps: setup
	@$(MAKE) --no-print-directory setup APT_PACKAGES="$(TEST_PACKAGES)"

## The binary tier runs the release binary (TEST_BINARY, the one that ships, built first): the
## debug build starts about 15 times slower (argument-parser's and the runtime's unoptimised
## start-up), which was most of the suite's time. `swift test` alone runs the debug binary.
TEST_BINARY := $(CURDIR)/$(BIN)
## XCTest cases run in parallel processes, one worker a core (`--parallel`): most cases are one
## thread of arithmetic or one child process, and on CI's 2 cores the second core sat idle.
## The in-process tiers are built in the release configuration without optimisation
## (TEST_BUILD, in .build-test): the code is compiled as in a debug build (-Onone: assertions
## and overflow checks on, @testable imports), but without DEBUG defined, under which
## argument-parser checks every command's definition again at every parse: 92 % of a parse's
## CPU (0.57 s of a usage error's 0.6 s), most of the option-parsing suites' time (28 of them:
## 116 s in a debug build, 28 s so, on the same loaded machine).
UNOPTIMISED_RELEASE := -c release -Xswiftc -Onone -Xswiftc -enable-testing
TEST_BUILD := $(UNOPTIMISED_RELEASE) --scratch-path .build-test
## Each phase's start is printed with the time (UTC), so a slow CI run shows where it went.
PHASE = @echo "== $$(date -u +%H:%M:%S) $(1)"
test: test-deps build
	$(call PHASE,swift test (build and run the in-process and binary tiers))
	AUDIOPREP_TEST_BINARY=$(TEST_BINARY) swift test --parallel $(TEST_BUILD)
	@if [ "$(SANITIZE)" = 1 ]; then echo "== $$(date -u +%H:%M:%S) sanitizers"; $(MAKE) --no-print-directory test-sanitize; fi
	$(call PHASE,cluster)
	$(MAKE) --no-print-directory test-cluster
	$(call PHASE,e2e)
	$(MAKE) --no-print-directory test-e2e
	$(call PHASE,manifests)
	$(MAKE) --no-print-directory test-manifests
	$(call PHASE,loudness)
	$(MAKE) --no-print-directory test-loudness
	$(call PHASE,python)
	$(MAKE) --no-print-directory test-python
	$(call PHASE,done)

## test-sanitize: the tests that exercise threads and memory, under ThreadSanitizer, then under
## AddressSanitizer, each in its own build directory (.build-tsan, .build-asan). Both run the
## library's tests in process (the queue, the worker pool, the parallel resampler, concurrent
## opens, the decoders, the chain) and the public API; TSan adds the binary's runs whose threads
## overlap (batch -j, interrupted batches), ASan the binary's runs over hostile and damaged
## inputs and the commands' logic. The rest of the binary tier runs in the plain pass only: the
## whole suite under TSan took 31 min on a loaded 2-core machine, four times the plain pass, and
## starts no other thread. Both are built as the plain tier is (UNOPTIMISED_RELEASE: -Onone, no
## DEBUG): the binary each spawned test starts and the option-parsing tests skip argument-parser's
## DEBUG-only re-check (ASan's Swift Testing tier: 209 s in a debug build, 27 s so). Leak
## detection is off in the XCTest host (XCTest and Foundation leak there) and on in the audioprep
## processes the tests start.
SANITIZER_TIMEOUT := AUDIOPREP_TEST_TIMEOUT=120
TSAN_TESTS := DSPTests|PublicAPITests|BatchCommandTests/testCorpusGivesOutputsOneManifestLineEachAndExit65|FFmpegInputTests/testBatchOverAMixedFolder|BatchInterruptTests
ASAN_TESTS := DSPTests|PublicAPITests|AudioPrepCommandsTests|BadInputTests|IndexBombTests|DamagedInputOutputTests|FFmpegInputTests
# The polyphase engine's fidelity against libsamplerate, one thread of arithmetic over seconds of
# noise (5 min under TSan), is checked in the plain pass only.
SANITIZE_SKIP := PolyphaseResamplerTests/testMatchesLibsamplerate
# TSan runs what starts threads: the decoders, the meters and the resamplers' fidelity against
# their references run on one thread (a decoder reads on the caller's; the pipeline's producer
# thread and its queue are the same code whatever the stage, and ChunkQueue, Chunking,
# ConcurrentOpen, the worker pool, the parallel resamplers and the thread-count identity test
# run here), and took ~3 min of the TSan pass for no thread of their own; so do the header and
# index readers (ScanReach, FFmpegHeaderLength, MP4IndexClaims) and the nodes and detectors run
# on one thread without the pipeline (HighPass, WebRtcAudioProcessing, NoiseSuppressionCleanSpeech,
# SpeechRegion, SpeechNoiseGate), and the container damage walks (PipeWrittenContainerDamage,
# TransportStreamDamage): 132 s of the pass (stop 42); and the single-threaded arithmetic and
# header suites (Normalization, CutFrameHeader, NoiseGateCleanSpeech, SignatureSearch,
# QuantizerRounding, Dither, PCMCutInAFrame, Downmix): 80 s of the pass (stop 48); and
# OpusDamagedStart, ShortAudioChunk, MPEGCutIntoEndTags: 25 s (stop 50). A test's own writer
# thread feeding a pipe (PipeLimit, PipeWindow, JoinedFiles) shares nothing with the decoder but
# the pipe. ForkedWorkersTests forks a process that has threads and starts more in the child,
# which TSan does not support ("starting new threads after multi-threaded fork is not
# supported"): plain and ASan passes only.
TSAN_SKIP := $(SANITIZE_SKIP)|DSPTests\.ForkedWorkersTests/|DSPTests\.(OpusDamagedStartTests|ShortAudioChunkTests|MPEGCutIntoEndTagsTests|DecoderTrustTests|DecoderTrustRound2Tests|DecoderTrustRound3Tests|DecoderTrustRound4Tests|JoinedStreamsTests|JoinedFilesTests|DeclaredLengthTests|OggCutShortTests|TrailingBytesTests|PipeWindowTests|PipeEndTests|ReadSizeTests|StreamHeaderScannerTests|SeekArithmeticTests|LoudnessMeterTests|SoxrResamplerTests|FixtureDecodingTests|PipeLimitTests|OversizedSizeClaimsTests|CAFChunkClaimsTests|MPEGHeaderDamageTests|MPEGTagsAndDamageTests|FLACCutTests|FLACStreamInfoTests|FLACTrailingBytesTests|HeadersPastThePipeWindowTests|MPEGFileAndPipeAgreementTests|MPEGJoinPastThePipeWindowTests|MPEGBehindATagNearThePipeWindowTests|TaggedJoinTests|ChunkBeforeTheAudioTests|MPEGFreeFormatTests|AVIStreamLengthTests|StreamWalkPiecesTests|DamagedTimestampsTests|PipeEndTests|ScanReachTests|FFmpegHeaderLengthTests|MP4IndexClaimsTests|HighPassTests|WebRtcAudioProcessingTests|NoiseSuppressionCleanSpeechTests|SpeechRegionTests|SpeechNoiseGateTests|PipeWrittenContainerDamageTests|TransportStreamDamageTests|NormalizationTests|MPEGCutPastThePipeWindowTests|CutFrameHeaderTests|NoiseGateCleanSpeechTests|SignatureSearchTests|QuantizerRoundingTests|DitherTests|PCMCutInAFrameTests|DownmixTests)/|DSPTests\.ResamplerTests/test(Streaming|Stereo|OutputLengths|OneKilohertz|EqualRates|ALastBlock)
# Under either sanitizer (AUDIOPREP_TEST_SANITIZER), the decoders' longest sweeps take a sample
# of their cases, each code path kept (ChunkBeforeTheAudio's chunk sizes, both parities and both
# sides of libsndfile's header cache; one FLAC hole past the pipe window; three frames of an MP3
# flipped; free-format MPEG without its 190 s file): the plain pass runs them whole (stop 48:
# they were 600 of the ASan pass's 1900 test-seconds).
# ASan decodes every FFmpeg format from a file and from a pipe (testStandardInputEqualsTheFile);
# the two comparisons of those samples with the ffmpeg command line's are values, not memory,
# and run in the plain pass only, as do the two 5 MB MPEG streams cut in their last frame
# (MPEGCutPastThePipeWindowTests: the walk that says so reads every pipe under ASan).
# The option-parsing suites (argument-parser's parse and its messages, about a second a parse in a
# debug build, several under ASan) hold no memory of their own and run in the plain pass only.
ASAN_SKIP := $(SANITIZE_SKIP)|MPEGCutPastThePipeWindowTests|FFmpegInputTests/testEveryFormatDecodesBitForBit|FFmpegInputTests/testProcessedOutputEqualsProcessingTheFFmpegDecode|UnitFormsTests|HabitHintTests|HelpLayoutTests|UsageErrorTests
test-sanitize: test-deps
	$(SANITIZER_TIMEOUT) AUDIOPREP_TEST_SANITIZER=thread swift test --parallel --sanitize=thread $(UNOPTIMISED_RELEASE) --scratch-path .build-tsan --filter '$(TSAN_TESTS)' --skip '$(TSAN_SKIP)'
	$(SANITIZER_TIMEOUT) AUDIOPREP_TEST_SANITIZER=address ASAN_OPTIONS=detect_leaks=0 AUDIOPREP_CHILD_ASAN_OPTIONS=detect_leaks=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/.lsan-suppressions:print_suppressions=0 \
	  swift test --parallel --sanitize=address $(UNOPTIMISED_RELEASE) --scratch-path .build-asan --filter '$(ASAN_TESTS)' --skip '$(ASAN_SKIP)'

## test-fast: the in-process tiers only (the library, the public API, the commands' logic), in
## about a minute: no binary is started (audioprepTests is the binary tier)
test-fast: setup
	swift test $(TEST_BUILD) --skip 'audioprepTests\.'

## test-cluster: scripts/slurm-batch.sh as a 3-task array on a loopback Slurm (installs Slurm, munge)
test-cluster: setup
	scripts/test-cluster.sh

## test-e2e: end to end with a real recognizer: espeak-ng digits -> audioprep -> pocketsphinx
## (pip, in .build-e2e/venv), and a Kaldi wav.scp pipe read by Kaldi's WAV reader. Part of `test`.
E2E_VENV := .build-e2e/venv
E2E_PIP := pocketsphinx==5.1.1 kaldi-native-io==1.23.0
test-e2e: build
	@missing=""; \
	dpkg-query -W -f='$${Status}' espeak-ng 2>/dev/null | grep -q 'ok installed' || missing="espeak-ng"; \
	python3 -c 'import ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@[ -x $(E2E_VENV)/bin/python ] || python3 -m venv $(E2E_VENV)
	@$(E2E_VENV)/bin/python -m pip install -q --disable-pip-version-check $(E2E_PIP)
	Tests/e2e/run.sh $(BIN) $(E2E_VENV)/bin/python

## test-manifests: `manifest export` read back by the consumers' own readers (Lhotse, Kaldi's
## WAV reader through kaldi-native-io; NeMo and the Hugging Face audiofolder field by field),
## and `info DIR` against Python's reading of 1,000 headers. Part of `test`. Lhotse comes without
## its torch requirement (torch pulls ~3 GB of CUDA wheels; Tests/e2e/torch_stub stands in for
## the import), with the light dependencies it does use.
MANIFEST_PIP := kaldi-native-io==1.23.0 lhotse==1.33.0
MANIFEST_DEPS := audioread==3.1.0 click cytoolz intervaltree lilcom numpy packaging pyyaml soundfile tabulate tqdm urllib3
test-manifests: build
	@python3 -c 'import ensurepip' 2>/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends python3-venv >/dev/null; }
	@[ -x $(E2E_VENV)/bin/python ] || python3 -m venv $(E2E_VENV)
	@$(E2E_VENV)/bin/python -m pip install -q --disable-pip-version-check --no-deps $(MANIFEST_PIP)
	@$(E2E_VENV)/bin/python -m pip install -q --disable-pip-version-check $(MANIFEST_DEPS)
	$(E2E_VENV)/bin/python Tests/e2e/manifest_exports.py $(BIN) Fixtures

## test-loudness: audioprep's EBU R128 loudness against pyloudnorm (BS.1770 filter, "DeMan") and
## ffmpeg's ebur128 filter on 11 generated files (speech, tones, noise; 8-48 kHz; mono, stereo;
## one of 300 ms), then --loudness outputs (process, batch, segments) read back by pyloudnorm;
## ~15 s. Part of `test`. pyloudnorm pulls scipy, which also makes the test inputs.
LOUDNESS_PIP := pyloudnorm==0.1.1 scipy numpy soundfile
test-loudness: build test-deps
	@python3 -c 'import ensurepip' 2>/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends python3-venv >/dev/null; }
	@[ -x $(E2E_VENV)/bin/python ] || python3 -m venv $(E2E_VENV)
	@$(E2E_VENV)/bin/python -m pip install -q --disable-pip-version-check $(LOUDNESS_PIP)
	$(E2E_VENV)/bin/python Tests/e2e/loudness_reference.py $(BIN) Fixtures

## test-python: the Python package (python/tests) against the command line: load equals
## `audioprep IN -o OUT --encoding f32` read back by soundfile (WAV, FLAC, MP3, Ogg, M4A, WebM;
## every converter), process equals load, errors, 8 threads, forked workers, stream (and its
## memory over a 60-minute file). Part of `test`.
PYTHON_TEST_PIP := pytest numpy soundfile
test-python: build test-deps python
	@$(PYTHON_VENV)/bin/python -m pip install -q --disable-pip-version-check $(PYTHON_TEST_PIP)
	cd python/tests && AUDIOPREP_TEST_BINARY=$(TEST_BINARY) $(CURDIR)/$(PYTHON_VENV)/bin/python -m pytest -q -p no:cacheprovider .

## fuzz: libFuzzer over the input decoders (stdin and file) for FUZZ_DECODER_SECONDS, then over
## the option parsing for FUZZ_OPTIONS_SECONDS, then over manifest lines, shards, durations and
## segment patterns for FUZZ_MANIFEST_SECONDS. Seeds in Fuzz/corpus; new inputs go to
## .build-fuzz/corpus, crashes to .build-fuzz/artifacts (then: make it a regression test).
FUZZ_DECODER_SECONDS ?= 45
FUZZ_OPTIONS_SECONDS ?= 15
FUZZ_MANIFEST_SECONDS ?= 15
FUZZ_BIN := .build-fuzz/debug/audioprep-fuzz
# swift-driver 6.3 does not always add coverage instrumentation for --sanitize=fuzzer (the
# objects came out without __sancov sections and libFuzzer ran blind), so it is asked for
# explicitly; -O makes the decoder target about 10x faster.
FUZZ_SWIFTC := -Xswiftc -O -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table
FUZZ_ENV := LSAN_OPTIONS=suppressions=$(CURDIR)/.lsan-suppressions:print_suppressions=0
FUZZ_FLAGS := -max_len=65536 -timeout=10 -rss_limit_mb=4096 -detect_leaks=0 \
  -artifact_prefix=.build-fuzz/artifacts/ -print_final_stats=1
fuzz: setup
	AUDIOPREP_FUZZ=1 swift build --sanitize=fuzzer --sanitize=address $(FUZZ_SWIFTC) \
	  --scratch-path .build-fuzz --product audioprep-fuzz
	@mkdir -p .build-fuzz/corpus/decoder .build-fuzz/corpus/options .build-fuzz/artifacts
	$(FUZZ_ENV) AUDIOPREP_FUZZ_TARGET=decoder $(FUZZ_BIN) .build-fuzz/corpus/decoder Fuzz/corpus/decoder \
	  -max_total_time=$(FUZZ_DECODER_SECONDS) $(FUZZ_FLAGS)
	$(FUZZ_ENV) AUDIOPREP_FUZZ_TARGET=options $(FUZZ_BIN) .build-fuzz/corpus/options Fuzz/corpus/options \
	  -max_total_time=$(FUZZ_OPTIONS_SECONDS) $(FUZZ_FLAGS)
	@mkdir -p .build-fuzz/corpus/manifest
	$(FUZZ_ENV) AUDIOPREP_FUZZ_TARGET=manifest $(FUZZ_BIN) .build-fuzz/corpus/manifest Fuzz/corpus/manifest \
	  -max_total_time=$(FUZZ_MANIFEST_SECONDS) $(FUZZ_FLAGS)

## demo: process the bundled speech fixture into a 16 kHz file and print a summary line
demo: build
	@mkdir -p $(DEMO_OUT)
	$(BIN) Fixtures/speech.flac -o $(DEMO_OUT)/speech.16k.wav --force --summary

## docs: DocC documentation of the DSP library, in .build/docs/DSP.doccarchive
docs: setup
	swift build --target DSP -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc .build/symbol-graphs
	@mkdir -p .build/docs
	docc convert Sources/DSP/DSP.docc --additional-symbol-graph-dir .build/symbol-graphs \
	  --fallback-display-name DSP --fallback-bundle-identifier org.audioprep.DSP \
	  --output-path .build/docs/DSP.doccarchive
	@echo "documentation: .build/docs/DSP.doccarchive (docc preview Sources/DSP/DSP.docc … to browse)"

## man: the man page, generated from the command definitions, in .build/man/audioprep.1
man: setup
	swift package --allow-writing-to-package-directory generate-manual
	@mkdir -p .build/man
	cp .build/plugins/GenerateManual/outputs/audioprep/audioprep.1 .build/man/audioprep.1
	@echo "man page: .build/man/audioprep.1 (man -l .build/man/audioprep.1)"

## completions: shell completion scripts in .build/completions
completions: build
	@mkdir -p .build/completions
	for shell in bash zsh fish; do $(BIN) --generate-completion-script $$shell > .build/completions/audioprep.$$shell; done
	@ls .build/completions

## fixtures: regenerate Fixtures/ (needs espeak-ng, sox, ffmpeg)
fixtures:
	Fixtures/generate.sh

clean:
	rm -rf .build $(DEMO_OUT)

# ---- benchmark: never part of `make test` -----------------------------------------------------
BENCH_PACKAGES := sox libsox-fmt-mp3 ffmpeg samplerate-programs espeak-ng time python3 python3-venv

.PHONY: bench bench-setup bench-corpus bench-clean bench-speech bench-denoise bench-python

## bench-setup: the benchmark's peers and corpus tools (sox reads mp3 only with libsox-fmt-mp3)
bench-setup:
	@$(MAKE) --no-print-directory setup APT_PACKAGES="$(BENCH_PACKAGES)"

## bench-corpus: bench/corpus/, made once (files already there are kept)
bench-corpus: bench-setup
	bench/corpus.sh

## bench: audioprep against sox, ffmpeg and sndfile-resample; BENCH_REPS=5 repetitions; then
## the parallel-batch stress (not timed)
bench: build bench-corpus
	python3 bench/bench.py
	$(MAKE) --no-print-directory bench-speech
	$(MAKE) --no-print-directory bench-denoise
	$(MAKE) --no-print-directory bench-python
	$(MAKE) --no-print-directory stress

## stress: 300 small WAV/WebM/M4A files through `batch` 20 times at -j 2, 4 and 8 (RUNS=20):
## every run must succeed with every record ok; then SIGTERM at random instants of a --force
## re-segmentation (TRIALS=60): never a mix of earlier and new files (issue 16)
stress: build test-deps
	scripts/stress-parallel-batch.sh $(BIN)
	scripts/stress-interrupts.sh $(BIN)

## bench-speech: voice activity (docs/speech.md): espeak-ng utterances with known silences in
## white, pink and babble noise at 20/10/5 dB (made once in bench/speech/data); frame P/R/F1 of
## --utterances, webrtcvad (webrtcvad-wheels) and silero-vad (its ONNX model with onnxruntime;
## no torch), pip in .build-bench/venv; then the detector's cost and peak RSS, 1 vs 60 minutes
BENCH_VENV := .build-bench/venv
BENCH_PIP := webrtcvad-wheels==2.0.14.post1 onnxruntime==1.32.0 numpy==2.4.6
bench-speech: build bench-setup
	@[ -x $(BENCH_VENV)/bin/python ] || python3 -m venv $(BENCH_VENV)
	@$(BENCH_VENV)/bin/python -m pip install -q --disable-pip-version-check $(BENCH_PIP)
	@$(BENCH_VENV)/bin/python -m pip install -q --disable-pip-version-check --no-deps silero-vad==6.2.3
	@[ -f bench/speech/data/truth.json ] || $(BENCH_VENV)/bin/python bench/speech/generate.py bench/speech/data
	$(BENCH_VENV)/bin/python bench/speech/compare.py $(BIN) bench/speech/data --markdown bench/speech/quality.md
	$(BENCH_VENV)/bin/python bench/speech/cost.py $(BIN) bench/speech/data --markdown bench/speech/cost.md

## bench-denoise: --denoise and --agc on espeak-ng digits in white and pink noise at 30/20/10/5 dB
## SNR (docs/denoise.md): SI-SDR against the clean speech and pocketsphinx word errors per level
## (bench/denoise/quality.md; about 15 minutes on 2 busy cores)
bench-denoise: build bench-setup
	@[ -x $(BENCH_VENV)/bin/python ] || python3 -m venv $(BENCH_VENV)
	@$(BENCH_VENV)/bin/python -m pip install -q --disable-pip-version-check numpy==2.4.6 pocketsphinx==5.1.1
	$(BENCH_VENV)/bin/python bench/denoise/evaluate.py $(BIN) bench/denoise/data --markdown bench/denoise/quality.md

## bench-python: `audioprep.load` against soundfile + samplerate (sinc_medium), soundfile +
## soxr (HQ) and librosa, each with the same resampler's sound, on 100 short FLAC files and on
## case (a)'s 5-minute stereo WAV in one Python process, as ratios of the same run
## (bench/python/results.md; docs/python.md). The package is
## installed into the benchmark's venv by `python`
BENCH_PYTHON_PIP := numpy==2.4.6 soundfile==0.14.0 samplerate==0.2.4 soxr==1.1.0 librosa==0.11.0
bench-python: build bench-setup
	@[ -x $(BENCH_VENV)/bin/python ] || python3 -m venv $(BENCH_VENV)
	@$(BENCH_VENV)/bin/python -m pip install -q --disable-pip-version-check $(BENCH_PYTHON_PIP)
	$(MAKE) --no-print-directory python PYTHON_VENV=$(BENCH_VENV)
	$(BENCH_VENV)/bin/python bench/python/compare.py --markdown bench/python/results.md

## bench-clean: the corpus, scratch outputs and results
bench-clean:
	rm -rf bench/corpus bench/out bench/results.json bench/results.prev.json bench/results.txt bench/speech/data bench/speech/quality.md bench/speech/cost.md bench/denoise/data bench/denoise/quality.md bench/python/results.md
