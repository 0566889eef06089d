# audioprep — the two commands: `make demo` and `make test`. Each installs what it needs.
SHELL := /bin/bash
APT_PACKAGES := libsndfile1-dev libsamplerate0-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/release/audioprep
DEMO_OUT := demo-out

.PHONY: setup build test test-sanitize fuzz demo clean fixtures

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

## build: the release binary at .build/release/audioprep
build: setup
	swift build -c release --product audioprep

## test: the whole test suite, then again under ThreadSanitizer and AddressSanitizer
## (about 3 minutes more on 2 cores; `make test SANITIZE=0` skips them)
SANITIZE ?= 1
test: setup
	swift test
	@if [ "$(SANITIZE)" = 1 ]; then $(MAKE) --no-print-directory test-sanitize; fi

## test-sanitize: the whole suite under ThreadSanitizer, then under AddressSanitizer, each in its
## own build directory (.build-tsan, .build-asan). Leak detection is off in the XCTest host
## (XCTest and Foundation leak there) and on in the audioprep processes the tests start.
SANITIZER_TIMEOUT := AUDIOPREP_TEST_TIMEOUT=120
test-sanitize: setup
	$(SANITIZER_TIMEOUT) swift test --sanitize=thread --scratch-path .build-tsan
	$(SANITIZER_TIMEOUT) ASAN_OPTIONS=detect_leaks=0 AUDIOPREP_CHILD_ASAN_OPTIONS=detect_leaks=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/.lsan-suppressions:print_suppressions=0 \
	  swift test --sanitize=address --scratch-path .build-asan

## fuzz: libFuzzer over the input decoders (stdin and file) for FUZZ_DECODER_SECONDS, then over
## the option parsing for FUZZ_OPTIONS_SECONDS. Seeds in Fuzz/corpus; new inputs go to
## .build-fuzz/corpus, crashes to .build-fuzz/artifacts (then: make it a regression test).
FUZZ_DECODER_SECONDS ?= 45
FUZZ_OPTIONS_SECONDS ?= 15
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

## demo: process the bundled speech fixture into a 16 kHz file and print a summary line
demo: build
	@mkdir -p $(DEMO_OUT)
	$(BIN) Fixtures/speech.flac -o $(DEMO_OUT)/speech.16k.wav --force --summary

## fixtures: regenerate Fixtures/ (needs espeak-ng, sox, ffmpeg)
fixtures:
	Fixtures/generate.sh

clean:
	rm -rf .build $(DEMO_OUT)
