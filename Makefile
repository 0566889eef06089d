# audioprep — the two commands: `make demo` and `make test`. Each installs what it needs.
SHELL := /bin/bash
APT_PACKAGES := libsndfile1-dev libsamplerate0-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/release/audioprep
DEMO_OUT := demo-out

.PHONY: setup build test demo clean fixtures

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

## test: the whole test suite
test: setup
	swift test

## demo: process the bundled speech fixture into a 16 kHz file and print a summary line
demo: build
	@mkdir -p $(DEMO_OUT)
	$(BIN) Fixtures/speech.flac -o $(DEMO_OUT)/speech.16k.wav --force --summary

## fixtures: regenerate Fixtures/ (needs espeak-ng, sox, ffmpeg)
fixtures:
	Fixtures/generate.sh

clean:
	rm -rf .build $(DEMO_OUT)

# ---- benchmark: never part of `make test` -----------------------------------------------------
BENCH_PACKAGES := sox libsox-fmt-mp3 ffmpeg samplerate-programs espeak-ng time python3

.PHONY: bench bench-setup bench-corpus bench-clean

## bench-setup: the benchmark's peers and corpus tools (sox reads mp3 only with libsox-fmt-mp3)
bench-setup:
	@$(MAKE) --no-print-directory setup APT_PACKAGES="$(BENCH_PACKAGES)"

## bench-corpus: bench/corpus/, made once (files already there are kept)
bench-corpus: bench-setup
	bench/corpus.sh

## bench: audioprep against sox, ffmpeg and sndfile-resample; BENCH_REPS=5 repetitions
bench: build bench-corpus
	python3 bench/bench.py

## bench-clean: the corpus, scratch outputs and results
bench-clean:
	rm -rf bench/corpus bench/out bench/results.json bench/results.prev.json bench/results.txt
