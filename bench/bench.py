#!/usr/bin/env python3
"""`make bench`: audioprep against sox, ffmpeg and sndfile-resample on the corpus in bench/corpus.

Each command runs under GNU time, a child of this script (posix_spawn, output to scratch files):
- wall: perf_counter around spawn .. os.wait4;
- CPU: user + sys from the rusage os.wait4 returns (every thread of the command, plus GNU time's
  own fraction of a millisecond);
- peak RSS: ru_maxrss of the command, as GNU time got it from its own wait4 (`%M`). Not from our
  wait4: exec records the high-water RSS of the memory it replaces (Linux fs/exec.c), so every
  direct child of this Python process starts at Python's own peak (13-17 MiB here), which would
  hide sox's 4 MiB. GNU time's floor is about 1 MiB.
For an `xargs -P 2` tree, wait4 on xargs returns xargs's own usage plus that of every descendant
it waited for: CPU is the whole tree's, ru_maxrss the largest single process of the tree (not the
sum of the two that run at once).

Inside a case the tools alternate, and the order rotates from one repetition to the next, after
one unmeasured warm-up run of each (page cache, first-run effects). Reported: median wall, median
CPU, peak RSS over the repetitions, and the ratio audioprep/peer with the issue's target.

Other processes share the two cores: before each case the driver waits (BENCH_QUIET_WAIT, 60 s)
for the machine to be quiet, and it reports the CPU time others took during each case.

Standard library only. BENCH_REPS (default 5) sets the repetitions.
"""

import array
import json
import os
import platform
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CORPUS = Path(os.environ.get("BENCH_CORPUS") or BENCH / "corpus")
# Scratch outputs go to tmpfs when there is one: the benchmark measures processing, not the
# disk's writeback (on this VM, ext4 writeback alone moved walls by 10-30 %).
OUT = Path(os.environ.get("BENCH_OUT") or
           ("/dev/shm/audioprep-bench" if os.access("/dev/shm", os.W_OK) else BENCH / "out"))
# BENCH_BIN measures another build (an earlier commit's, for before/after figures).
BIN = Path(os.environ.get("BENCH_BIN") or ROOT / ".build" / "release" / "audioprep")
TIME = "/usr/bin/time"  # GNU time (Debian package time)
RESULTS = BENCH / "results.json"
PREVIOUS = BENCH / "results.prev.json"
REPS = int(os.environ.get("BENCH_REPS", "5"))
# BENCH_CASES=f (or a,f): run only those cases; the results then replace results.json only when
# every case ran.
SELECTED = [x for x in os.environ.get("BENCH_CASES", "").split(",") if x]
QUIET_WAIT_S = float(os.environ.get("BENCH_QUIET_WAIT", "60"))  # per case, 0 to never wait
MIB = 1024.0  # ru_maxrss is in KiB on Linux


@dataclass
class Tool:
    """One command of a case; `prepare` runs before every run, outside the measurement."""

    key: str
    label: str
    argv: list
    stdin: Path | None = None
    prepare: object = None
    env: dict = field(default_factory=dict)  # added to the environment
    walls: list = field(default_factory=list)
    cpus: list = field(default_factory=list)
    rsss: list = field(default_factory=list)  # KiB

    @property
    def wall(self):
        return statistics.median(self.walls)

    @property
    def cpu(self):
        return statistics.median(self.cpus)

    @property
    def rss_mib(self):
        return max(self.rsss) / MIB


@dataclass
class Check:
    """A target: `value` computed from the case's tools must be <= `limit`."""

    label: str
    value: object  # callable(case) -> float
    limit: float
    unit: str = "x"


@dataclass
class Case:
    id: str
    title: str
    tools: list
    others_cpu_s: float = 0.0  # CPU time used by processes other than ours while the case ran
    wall_s: float = 0.0
    checks: list = field(default_factory=list)
    ratios: list = field(default_factory=list)  # (audioprep key, peer key)
    competing: bool = False  # a CPU-bound process runs on the side while the case runs

    def tool(self, key):
        return next(t for t in self.tools if t.key == key)


def run(tool):
    """Runs one command; returns (wall s, cpu s, maxrss KiB). Exits on failure with its stderr."""
    if tool.prepare:
        tool.prepare()
    err = OUT / f"{tool.key}.stderr"
    rss = OUT / f"{tool.key}.maxrss"
    argv = [TIME, "-f", "%M", "-o", str(rss), *tool.argv]
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, str(tool.stdin or os.devnull), os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, str(err), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ]
    start = time.perf_counter()
    pid = os.posix_spawn(TIME, argv, {**os.environ, **tool.env}, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"bench: {tool.label} failed ({code}): {' '.join(tool.argv)}\n"
                 f"{err.read_text(errors='replace')[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, int(rss.read_text().split()[-1])


def machine_busy_s():
    """CPU seconds the whole machine has spent busy since boot (/proc/stat; steal excluded)."""
    with open("/proc/stat") as f:
        user, nice, system, idle, iowait, irq, softirq = map(int, f.readline().split()[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def our_cpu_s():
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def wait_for_quiet():
    """Waits (at most QUIET_WAIT_S) until other processes use under 10 % of the machine for 2 s."""
    cores, waited = os.cpu_count() or 1, 0.0
    while True:
        busy0 = machine_busy_s()
        time.sleep(2)
        share = (machine_busy_s() - busy0) / (2 * cores)
        if share < 0.10 or waited >= QUIET_WAIT_S:
            break
        if waited == 0:
            print(f"[machine {100 * share:.0f} % busy: waiting up to {QUIET_WAIT_S:.0f} s] ", end="", flush=True)
        waited += 2


def measure(case):
    """Runs the case; also records how much CPU other processes took meanwhile (they share the cores)."""
    print(f"({case.id}) {case.title}: ", end="", flush=True)
    wait_for_quiet()
    # The competitor is not our child's child: its CPU counts as "other processes".
    spinner = subprocess.Popen(["sh", "-c", "while :; do :; done"]) if case.competing else None
    busy0, ours0, t0 = machine_busy_s(), our_cpu_s(), time.monotonic()
    for tool in case.tools:
        run(tool)  # warm-up, not recorded
    for rep in range(REPS):
        shift = rep % len(case.tools)
        for tool in case.tools[shift:] + case.tools[:shift]:
            wall, cpu, rss = run(tool)
            tool.walls.append(wall)
            tool.cpus.append(cpu)
            tool.rsss.append(rss)
        print(".", end="", flush=True)
    case.wall_s = time.monotonic() - t0
    case.others_cpu_s = max(0.0, (machine_busy_s() - busy0) - (our_cpu_s() - ours0))
    if spinner:
        spinner.kill()
        spinner.wait()
        # The competitor's own CPU is the point of the case, not a disturbance.
        case.others_cpu_s = max(0.0, case.others_cpu_s - case.wall_s)
    print(f" {case.wall_s:.0f} s; other processes used {case.others_cpu_s:.1f} CPU-s meanwhile")


def help_text(*args):
    r = subprocess.run([str(BIN), *args, "--help"], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def has_batch():
    # `audioprep batch --help` also exits 0 without a batch command: `process` is the default
    # subcommand, so "batch" is taken for its INPUT and process's help is printed.
    code, text = help_text("batch")
    return code == 0 and "USAGE: audioprep batch" in text


def has_soxr():
    return "--resampler" in help_text()[1] + help_text("process")[1]


def has_polyphase():
    return "libsamplerate-direct" in help_text()[1] + help_text("process")[1]


def fresh_dir(path):
    def prepare():
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
    return prepare


def cases():
    ap = str(BIN)
    c = CORPUS
    stereo, mono = c / "speech44k-stereo.wav", c / "speech44k-mono.wav"
    o = lambda name: str(OUT / name)  # noqa: E731
    ffmpeg = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y"]

    # (a) five minutes of 44.1 kHz stereo speech
    a_tools = [
        Tool("audioprep-medium", "audioprep (default: medium)",
             [ap, str(stereo), "-o", o("a-ap-medium.wav"), "--force", "--quiet"]),
        Tool("sndfile-resample", "sndfile-resample -c 1, mono input",
             ["sndfile-resample", "-to", "16000", "-c", "1", str(mono), o("a-sndfile-resample.wav")]),
        Tool("audioprep-fastest", "audioprep --converter fastest",
             [ap, str(stereo), "-o", o("a-ap-fastest.wav"), "--force", "--quiet",
              "--converter", "fastest"]),
        Tool("sox", "sox", ["sox", str(stereo), "-r", "16000", "-c", "1", o("a-sox.wav"),
                            "highpass", "80", "vol", "1.5"]),
        Tool("ffmpeg", "ffmpeg", ffmpeg + ["-i", str(stereo), "-ac", "1", "-ar", "16000",
                                           "-af", "highpass=f=80,volume=1.5", o("a-ffmpeg.wav")]),
    ]
    a = Case("a", "44.1 kHz stereo, 5 min -> 16 kHz mono", a_tools,
             ratios=[("audioprep-medium", "sndfile-resample"), ("audioprep-fastest", "sox"),
                     ("audioprep-fastest", "ffmpeg")])
    a.checks = [
        Check("default wall / sndfile-resample", lambda k: wall_ratio(k, "audioprep-medium", "sndfile-resample"), 0.55),
        Check("fastest wall / sox", lambda k: wall_ratio(k, "audioprep-fastest", "sox"), 1.0),
    ]
    if has_polyphase():
        # Issue 13: libsamplerate's sinc converters as a polyphase filter (the default), against
        # libsamplerate called directly, best, and the floor: the chain without resampling,
        # high-pass or gain (16 kHz mono in), i.e. decoding, writing and start-up alone.
        a_tools[3:3] = [
            Tool("audioprep-direct", "audioprep --resampler libsamplerate-direct",
                 [ap, str(stereo), "-o", o("a-ap-direct.wav"), "--force", "--quiet",
                  "--resampler", "libsamplerate-direct"]),
            Tool("audioprep-best", "audioprep --converter best",
                 [ap, str(stereo), "-o", o("a-ap-best.wav"), "--force", "--quiet", "--converter", "best"]),
            Tool("audioprep-floor", "audioprep floor: 16k mono, no filter, gain 1",
                 [ap, str(c / "speech16k-mono.wav"), "-o", o("a-ap-floor.wav"), "--force", "--quiet",
                  "--highpass", "0", "--gain", "1"]),
        ]
        a.ratios += [("audioprep-medium", "sox"), ("audioprep-direct", "sox"), ("audioprep-best", "sox"),
                     ("audioprep-floor", "sox")]
        a.checks += [
            Check("#13 default wall / sox", lambda k: wall_ratio(k, "audioprep-medium", "sox"), 0.5),
            Check("#13 default CPU / sox", lambda k: cpu_ratio(k, "audioprep-medium", "sox"), 0.7),
            Check("#13 best wall / sox", lambda k: wall_ratio(k, "audioprep-best", "sox"), 1.0),
            Check("#13 fastest wall / sox", lambda k: wall_ratio(k, "audioprep-fastest", "sox"), 0.4),
        ]
    if has_soxr():
        a_tools.insert(3, Tool("audioprep-soxr", "audioprep --resampler soxr",
                               [ap, str(stereo), "-o", o("a-ap-soxr.wav"), "--force", "--quiet",
                                "--resampler", "soxr"]))
        a.ratios.append(("audioprep-soxr", "sox"))
        a.checks.append(Check("soxr wall / sox", lambda k: wall_ratio(k, "audioprep-soxr", "sox"), 0.5))

    # (a') the same audio as FLAC: decoding cost, for information (no target)
    flac = c / "speech44k-stereo.flac"
    a2 = Case("a'", "the same as FLAC, fastest converter (no target)", [
        Tool("audioprep-fastest", "audioprep --converter fastest",
             [ap, str(flac), "-o", o("a2-ap-fastest.wav"), "--force", "--quiet", "--converter", "fastest"]),
        Tool("sox", "sox", ["sox", str(flac), "-r", "16000", "-c", "1", o("a2-sox.wav"),
                            "highpass", "80", "vol", "1.5"]),
    ], ratios=[("audioprep-fastest", "sox")])

    # (b) 16 kHz mono: no resampling at all
    m16 = c / "speech16k-mono.wav"
    b = Case("b", "16 kHz mono passthrough, 5 min", [
        Tool("audioprep", "audioprep", [ap, str(m16), "-o", o("b-ap.wav"), "--force", "--quiet"]),
        Tool("sox", "sox", ["sox", str(m16), o("b-sox.wav"), "highpass", "80", "vol", "1.5"]),
    ], ratios=[("audioprep", "sox")])
    b.checks = [Check("wall / sox", lambda k: wall_ratio(k, "audioprep", "sox"), 1.0)]

    # (c) 100 short files, two at a time
    files = sorted(p for p in (c / "batch").iterdir() if not p.name.startswith(".")) if (c / "batch").is_dir() else []
    ap_out, sox_out = OUT / "c-audioprep", OUT / "c-sox"
    lines = OUT / "c-files.txt"  # "INPUT OUTPUT" per line, for xargs -L 1
    with open(lines, "w") as f:
        for p in files:
            f.write(f"{p} {{}}/{p.stem}.wav\n")
    ap_list, sox_list = OUT / "c-files-audioprep.txt", OUT / "c-files-sox.txt"
    ap_list.write_text(lines.read_text().replace("{}", str(ap_out)))
    sox_list.write_text(lines.read_text().replace("{}", str(sox_out)))
    if has_batch():
        ap_tool = Tool("audioprep", "audioprep batch -j 2",
                       [ap, "batch", str(c / "batch"), "--out-dir", str(ap_out), "-j", "2",
                        "--converter", "fastest", "--force"], prepare=fresh_dir(ap_out))
    else:
        ap_tool = Tool("audioprep", "xargs -P 2 audioprep",
                       ["xargs", "-P", "2", "-L", "1", "sh", "-c",
                        f'exec {shlex.quote(ap)} "$0" -o "$1" --converter fastest --force --quiet'],
                       stdin=ap_list, prepare=fresh_dir(ap_out))
    c_case = Case("c", f"{len(files)} files, 5-30 s, 8-48 kHz, wav/flac/ogg/mp3, 2 at a time", [
        ap_tool,
        Tool("sox", "xargs -P 2 sox",
             ["xargs", "-P", "2", "-L", "1", "sh", "-c",
              'exec sox "$0" -r 16000 -c 1 "$1" highpass 80 vol 1.5'],
             stdin=sox_list, prepare=fresh_dir(sox_out)),
    ], ratios=[("audioprep", "sox")])
    c_case.checks = [Check("wall / xargs sox", lambda k: wall_ratio(k, "audioprep", "sox"), 1.0)]
    c_case.expected_outputs = {ap_out: len(files), sox_out: len(files)}
    if has_batch() and has_soxr():
        # No target: libsoxr as the batch's resampler, for comparison with the fastest sinc.
        soxr_out = OUT / "c-audioprep-soxr"
        c_case.tools.insert(1, Tool("audioprep-soxr", "audioprep batch -j 2 --resampler soxr",
                                    [ap, "batch", str(c / "batch"), "--out-dir", str(soxr_out), "-j", "2",
                                     "--resampler", "soxr", "--force"], prepare=fresh_dir(soxr_out)))
        c_case.ratios.append(("audioprep-soxr", "sox"))
        c_case.expected_outputs[soxr_out] = len(files)

    # (d) memory: 60 minutes against 1 minute of 48 kHz mono
    d = Case("d", "memory: 48 kHz mono, 60 min against 1 min", [
        Tool("audioprep-60min", "audioprep, 60 min",
             [ap, str(c / "mono48k-60min.wav"), "-o", o("d-60min.wav"), "--force", "--quiet"]),
        Tool("audioprep-1min", "audioprep, 1 min",
             [ap, str(c / "mono48k-1min.wav"), "-o", o("d-1min.wav"), "--force", "--quiet"]),
    ])
    d.checks = [
        Check("peak RSS", lambda k: max(t.rss_mib for t in k.tools), 20.0, " MiB"),
        Check("peak RSS 60 min / 1 min",
              lambda k: k.tool("audioprep-60min").rss_mib / k.tool("audioprep-1min").rss_mib, 1.1),
    ]
    # (e) what --stats costs: the same run with and without it, where the rest of the chain weighs
    # most (libsoxr, 60 min of 48 kHz mono); CPU, since the cost is work, not waiting.
    e = Case("e", "--stats cost: 48 kHz mono, 60 min, --resampler soxr", [
        Tool("audioprep-stats", "audioprep --stats",
             [ap, str(c / "mono48k-60min.wav"), "-o", o("e-stats.wav"), "--force", "--quiet",
              "--resampler", "soxr", "--stats"]),
        Tool("audioprep-plain", "audioprep",
             [ap, str(c / "mono48k-60min.wav"), "-o", o("e-plain.wav"), "--force", "--quiet",
              "--resampler", "soxr"]),
    ], ratios=[("audioprep-stats", "audioprep-plain")])
    e.checks = [Check("--stats CPU / without",
                      lambda k: k.tool("audioprep-stats").cpu / k.tool("audioprep-plain").cpu, 1.02)]
    # (f) an M4A (AAC) input, which FFmpeg's libraries decode inside audioprep, against the ffmpeg
    # command line doing the whole job; RSS includes loading libavformat and libavcodec.
    m4a = c / "speech44k-stereo.m4a"
    f_case = Case("f", "44.1 kHz stereo AAC in M4A, 5 min -> 16 kHz mono (FFmpeg decodes)", [
        Tool("audioprep-medium", "audioprep (default: medium)",
             [ap, str(m4a), "-o", o("f-ap-medium.wav"), "--force", "--quiet"]),
        Tool("audioprep-fastest", "audioprep --converter fastest",
             [ap, str(m4a), "-o", o("f-ap-fastest.wav"), "--force", "--quiet", "--converter", "fastest"]),
        Tool("ffmpeg", "ffmpeg", ffmpeg + ["-i", str(m4a), "-ar", "16000", "-ac", "1",
                                           "-af", "highpass=f=80,volume=1.5", o("f-ffmpeg.wav")]),
    ], ratios=[("audioprep-medium", "ffmpeg"), ("audioprep-fastest", "ffmpeg")])
    # (l) issue 19: `info DIR` over 1,000 files of mixed formats, from their headers, against soxi
    # reading the same headers (one soxi process for all, as xargs batches them). audioprep
    # reads more than the headers: every FLAC, Ogg and MP3 whole, for a second file joined on
    # (one pass for every signature, `SignatureSearch`); its CPU is held to twice soxi's.
    tree = c / "info-tree"
    l_case = Case("l", "info over a 1,000-file tree (wav/flac/ogg/mp3) against soxi", [
        Tool("audioprep-info", "audioprep info DIR", [ap, "info", str(tree)]),
        Tool("soxi", "find DIR | xargs soxi",
             ["sh", "-c", 'find "$0" -type f ! -name "*.txt" -print0 | xargs -0 soxi >/dev/null', str(tree)]),
    ], ratios=[("audioprep-info", "soxi")])
    l_case.checks = [Check("wall / soxi", lambda k: wall_ratio(k, "audioprep-info", "soxi"), 1.5),
                     Check("CPU / soxi", lambda k: cpu_ratio(k, "audioprep-info", "soxi"), 2.0)]
    # (m) issue 20: what loudness costs. --loudness -23 reads the input twice (a first pass through
    # the chain, measured by libebur128 with its true peak, then the run); batch
    # --measure-loudness measures the input and the output as the run goes. Peer: sox --norm, a
    # two-pass peak normalisation with the same chain.
    m_case = Case("m", "--loudness and --measure-loudness: 44.1 kHz stereo, 5 min -> 16 kHz mono", [
        Tool("audioprep-default", "audioprep (default chain)",
             [ap, str(stereo), "-o", o("m-default.wav"), "--force", "--quiet"]),
        Tool("audioprep-loudness", "audioprep --loudness -23",
             [ap, str(stereo), "-o", o("m-loudness.wav"), "--force", "--quiet", "--loudness", "-23"]),
        Tool("sox-norm", "sox --norm=-1 (two passes)",
             ["sox", "--norm=-1", str(stereo), "-r", "16000", "-c", "1", o("m-sox.wav"), "highpass", "80"]),
        Tool("audioprep-batch", "audioprep batch (one file)",
             [ap, "batch", str(stereo), "--out-dir", o("m-batch"), "--force", "-q", "-j", "1"]),
        Tool("audioprep-batch-measure", "audioprep batch --measure-loudness",
             [ap, "batch", str(stereo), "--out-dir", o("m-batch-measure"), "--force", "-q", "-j", "1",
              "--measure-loudness"]),
    ], ratios=[("audioprep-loudness", "audioprep-default"), ("audioprep-loudness", "sox-norm"),
               ("audioprep-batch-measure", "audioprep-batch")])
    # Guards against regressions, set over what was measured on 2 busy cores (docs/levels.md#cost).
    m_case.checks = [
        Check("--loudness CPU / default", lambda k: cpu_ratio(k, "audioprep-loudness", "audioprep-default"), 3.2),
        Check("--measure-loudness CPU / without", lambda k: cpu_ratio(k, "audioprep-batch-measure", "audioprep-batch"), 6.0),
    ]
    # (n) issue 20: what WebRTC's noise suppression and gain control cost over the default chain
    # (they run at 16 kHz after the resampler, in 10 ms frames, on one thread).
    n_case = Case("n", "--denoise and --agc: 44.1 kHz stereo, 5 min -> 16 kHz mono", [
        Tool("audioprep-default", "audioprep (default chain)",
             [ap, str(stereo), "-o", o("n-default.wav"), "--force", "--quiet"]),
        Tool("audioprep-denoise", "audioprep --denoise high",
             [ap, str(stereo), "-o", o("n-denoise.wav"), "--force", "--quiet", "--denoise", "high"]),
        Tool("audioprep-agc", "audioprep --agc",
             [ap, str(stereo), "-o", o("n-agc.wav"), "--force", "--quiet", "--agc"]),
        Tool("audioprep-denoise-agc", "audioprep --denoise high --agc",
             [ap, str(stereo), "-o", o("n-both.wav"), "--force", "--quiet", "--denoise", "high", "--agc"]),
    ], ratios=[("audioprep-denoise", "audioprep-default"), ("audioprep-agc", "audioprep-default"),
               ("audioprep-denoise-agc", "audioprep-default")])
    # (o) issue 18: what cutting at speech costs on case (a)'s input: the voice-activity detector
    # runs on the 16 kHz output beside the chain, and each utterance or window is a file.
    o_case = Case("o", "--utterances and --segment 30s --at-pauses: 44.1 kHz stereo, 5 min -> 16 kHz mono", [
        Tool("audioprep-default", "audioprep (default chain)",
             [ap, str(stereo), "-o", o("o-default.wav"), "--force", "--quiet"]),
        Tool("audioprep-utterances", "audioprep --utterances",
             [ap, str(stereo), "-o", o("o-utterances/u_%04d.wav"), "--quiet", "--utterances"],
             prepare=fresh_dir(OUT / "o-utterances")),
        Tool("audioprep-at-pauses", "audioprep --segment 30s --at-pauses",
             [ap, str(stereo), "-o", o("o-windows/w_%04d.wav"), "--quiet", "--segment", "30s", "--at-pauses"],
             prepare=fresh_dir(OUT / "o-windows")),
        Tool("audioprep-segment", "audioprep --segment 30s (no detector)",
             [ap, str(stereo), "-o", o("o-segments/s_%04d.wav"), "--quiet", "--segment", "30s"],
             prepare=fresh_dir(OUT / "o-segments")),
    ], ratios=[("audioprep-utterances", "audioprep-default"), ("audioprep-at-pauses", "audioprep-default"),
               ("audioprep-at-pauses", "audioprep-segment")])
    return [a, a2, b, c_case, d, e, f_case] + first_file_cases(ap, c, o) + [l_case, m_case, n_case, o_case]


def first_file_cases(ap, c, o):
    """Issue 22: what one process costs (a shell loop of short files, --version), the long
    file written to a real disk, and the default thread count against one thread."""
    cache = OUT / "table-cache"  # audioprep's polyphase table cache, fresh for the benchmark
    warm = {"XDG_CACHE_HOME": str(cache)}

    def emptied(path):
        return lambda: shutil.rmtree(path, ignore_errors=True)

    # (g) 60 files of 3 s, 44.1 kHz stereo, one process each in a shell loop (xargs, GNU
    # parallel and Kaldi pipes call audioprep like this). The warm-up run fills the table
    # cache; "cold" empties it before each loop, so its first file measures the table.
    short = c / "short"
    loop_out = OUT / "g-out"

    def loop(command):
        script = f'for f in "$0"/*.wav; do {command} || exit 1; done'
        return ["sh", "-c", script, str(short)]

    g_out = lambda name: f'{loop_out}/{name}-$(basename "$f")'  # noqa: E731
    g = Case("g", "60 files of 3 s, 44.1 kHz stereo, one process each in a shell loop", [
        Tool("audioprep-medium", "audioprep (default: medium)",
             loop(f'{shlex.quote(ap)} "$f" -o "{g_out("m")}" --force --quiet'), env=warm,
             prepare=fresh_dir(loop_out)),
        Tool("audioprep-best", "audioprep --converter best",
             loop(f'{shlex.quote(ap)} "$f" -o "{g_out("b")}" --force --quiet --converter best'), env=warm,
             prepare=fresh_dir(loop_out)),
        Tool("audioprep-cold", "audioprep, table cache emptied first",
             loop(f'{shlex.quote(ap)} "$f" -o "{g_out("c")}" --force --quiet'), env=warm,
             prepare=lambda: (emptied(cache)(), fresh_dir(loop_out)())),
        Tool("sox", "sox", loop(f'sox "$f" -r 16000 -c 1 "{g_out("s")}" highpass 80 vol 1.5'),
             prepare=fresh_dir(loop_out)),
    ], ratios=[("audioprep-medium", "sox"), ("audioprep-best", "sox"), ("audioprep-cold", "sox")])
    g.checks = [
        Check("#22 default loop wall / sox", lambda k: wall_ratio(k, "audioprep-medium", "sox"), 1.2),
        Check("#22 best loop wall / sox", lambda k: wall_ratio(k, "audioprep-best", "sox"), 2.0),
    ]

    # (h) --version against a run with nothing to resample (3 s of 16 kHz mono), 60 of each.
    floor = c / "short16k-mono.wav"
    h = Case("h", "--version against a 3 s passthrough run, 60 processes each", [
        Tool("audioprep-version", "audioprep --version",
             ["sh", "-c", f'for i in $(seq 60); do {shlex.quote(ap)} --version >/dev/null || exit 1; done']),
        Tool("audioprep-passthrough", "audioprep 3 s 16 kHz mono",
             ["sh", "-c", f'for i in $(seq 60); do {shlex.quote(ap)} "$0" -o "$1" --force --quiet || exit 1; done',
              str(floor), o("h-floor.wav")]),
    ], ratios=[("audioprep-version", "audioprep-passthrough")])
    h.checks = [Check("#22 --version / passthrough", lambda k: wall_ratio(k, "audioprep-version", "audioprep-passthrough"), 2.0)]

    # (i) case (a) written to a real disk (the repository's file system), not tmpfs.
    disk = BENCH / "out-disk"
    disk.mkdir(exist_ok=True)
    stereo = c / "speech44k-stereo.wav"
    i = Case("i", f"case (a) written to {disk.relative_to(ROOT)} (a real disk)", [
        Tool("audioprep-medium", "audioprep (default: medium)",
             [ap, str(stereo), "-o", str(disk / "i-ap-medium.wav"), "--force", "--quiet"], env=warm),
        Tool("audioprep-best", "audioprep --converter best",
             [ap, str(stereo), "-o", str(disk / "i-ap-best.wav"), "--force", "--quiet", "--converter", "best"],
             env=warm),
        Tool("sox", "sox", ["sox", str(stereo), "-r", "16000", "-c", "1", str(disk / "i-sox.wav"),
                            "highpass", "80", "vol", "1.5"]),
    ], ratios=[("audioprep-medium", "sox"), ("audioprep-best", "sox")])
    i.checks = [
        Check("#22 default wall / sox, disk", lambda k: wall_ratio(k, "audioprep-medium", "sox"), 0.4),
        Check("#22 best wall / sox, disk", lambda k: wall_ratio(k, "audioprep-best", "sox"), 0.8),
    ]

    # (j, k) the default thread count against --threads 1 on case (a), idle and with a
    # CPU-bound process competing for the two cores.
    def threads_case(id, title, competing):
        k = Case(id, title, [
            Tool("audioprep-default", "audioprep (default threads)",
                 [ap, str(stereo), "-o", o(f"{id}-default.wav"), "--force", "--quiet"], env=warm),
            Tool("audioprep-1", "audioprep --threads 1",
                 [ap, str(stereo), "-o", o(f"{id}-1.wav"), "--force", "--quiet", "--threads", "1"], env=warm),
            Tool("audioprep-best-default", "audioprep --converter best (default threads)",
                 [ap, str(stereo), "-o", o(f"{id}-bd.wav"), "--force", "--quiet", "--converter", "best"], env=warm),
            Tool("audioprep-best-1", "audioprep --converter best --threads 1",
                 [ap, str(stereo), "-o", o(f"{id}-b1.wav"), "--force", "--quiet", "--converter", "best",
                  "--threads", "1"], env=warm),
        ], ratios=[("audioprep-default", "audioprep-1"), ("audioprep-best-default", "audioprep-best-1")],
            competing=competing)
        k.checks = [
            Check("#22 default / --threads 1", lambda x: wall_ratio(x, "audioprep-default", "audioprep-1"), 1.05),
            Check("#22 best default / --threads 1",
                  lambda x: wall_ratio(x, "audioprep-best-default", "audioprep-best-1"), 1.05),
        ]
        return k

    j = threads_case("j", "threads on case (a), idle machine", False)
    k = threads_case("k", "threads on case (a), a CPU-bound process competing", True)
    return [g, h, i, j, k]


def wall_ratio(case, mine, peer):
    return case.tool(mine).wall / case.tool(peer).wall


def cpu_ratio(case, mine, peer):
    return case.tool(mine).cpu / case.tool(peer).cpu


def version(argv, line=0):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        lines = [s.strip() for s in (r.stdout + r.stderr).splitlines() if s.strip()]
        return lines[line] if lines else "?"
    except OSError:
        return "?"


def machine():
    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    git = lambda *a: subprocess.run(["git", "-C", str(ROOT), *a],  # noqa: E731
                                    capture_output=True, text=True).stdout.strip()
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "host": platform.node(), "kernel": platform.release(), "cpu": cpu, "cores": os.cpu_count(),
        "commit": git("rev-parse", "--short", "HEAD") + ("-dirty" if git("status", "--porcelain", "--", "Sources", "Package.swift") else ""),
        "reps": REPS, "scratch": str(OUT),
        "versions": {
            "audioprep": version([str(BIN), "--version"]),
            "sox": version(["sox", "--version"]),
            "ffmpeg": version(["ffmpeg", "-version"]),
            "sndfile-resample": version(["sh", "-c", "sndfile-resample 2>&1 | grep -m1 -o 'libsamplerate-[0-9.]*'"]),
        },
    }


def table(all_cases):
    rows = []
    w = rows.append
    w(f"{'':44} {'wall s':>8} {'CPU s':>8} {'RSS MiB':>8}")
    for case in all_cases:
        w(f"({case.id}) {case.title}")
        for t in case.tools:
            w(f"    {t.label:40} {t.wall:8.3f} {t.cpu:8.3f} {t.rss_mib:8.1f}")
        for mine, peer in case.ratios:
            m, p = case.tool(mine), case.tool(peer)
            w(f"    {'ratio ' + mine + ' / ' + peer:40} {m.wall / p.wall:7.2f}x {m.cpu / p.cpu:7.2f}x "
              f"{m.rss_mib / p.rss_mib:7.2f}x")
        for chk in case.checks:
            v = chk.value(case)
            verdict = "PASS" if v <= chk.limit else "MISS"
            w(f"    target {chk.label}: {v:.2f}{chk.unit} <= {chk.limit:g}{chk.unit}  {verdict}")
        share = case.others_cpu_s / (case.wall_s * (os.cpu_count() or 1))
        if share > 0.05:
            w(f"    warning: other processes took {100 * share:.0f} % of the machine during this case")
    return "\n".join(rows)


def to_json(all_cases, meta):
    out = dict(meta, cases=[])
    for case in all_cases:
        out["cases"].append({
            "id": case.id, "title": case.title,
            "case_wall_s": round(case.wall_s, 1), "others_cpu_s": round(case.others_cpu_s, 2),
            "tools": [{
                "key": t.key, "label": t.label, "argv": t.argv,
                "median_wall_s": round(t.wall, 4), "median_cpu_s": round(t.cpu, 4),
                "peak_rss_mib": round(t.rss_mib, 2),
                "wall_s": [round(x, 4) for x in t.walls], "cpu_s": [round(x, 4) for x in t.cpus],
                "maxrss_kib": t.rsss,
            } for t in case.tools],
            "ratios": [{"mine": m, "peer": p,
                        "wall": round(case.tool(m).wall / case.tool(p).wall, 3),
                        "cpu": round(case.tool(m).cpu / case.tool(p).cpu, 3),
                        "rss": round(case.tool(m).rss_mib / case.tool(p).rss_mib, 3)}
                       for m, p in case.ratios],
            "targets": [{"label": k.label, "value": round(k.value(case), 3), "limit": k.limit,
                         "unit": k.unit, "pass": k.value(case) <= k.limit} for k in case.checks],
        })
    return out


def compare_with_previous(current):
    """Prints the change of audioprep's median wall per case against the last results.json."""
    if not RESULTS.exists():
        return
    try:
        prev = json.loads(RESULTS.read_text())
        before = {(c["id"], t["key"]): t["median_wall_s"] for c in prev["cases"] for t in c["tools"]}
    except (ValueError, KeyError) as e:
        print(f"bench: {RESULTS} unreadable ({e}); not compared")
        return
    print(f"\naudioprep median wall against the last run ({prev.get('date', '?')}, "
          f"commit {prev.get('commit', '?')}, {prev.get('reps', '?')} reps):")
    for c in current["cases"]:
        for t in c["tools"]:
            old = before.get((c["id"], t["key"]))
            if old is None or not t["key"].startswith("audioprep"):
                continue
            new = t["median_wall_s"]
            print(f"    ({c['id']}) {t['label']:40} {old:8.3f} -> {new:8.3f} s  {100 * (new - old) / old:+6.1f} %")


def data_offset(path):
    """Where a WAV file's samples start: after the `data` chunk's header."""
    with open(path, "rb") as f:
        f.seek(12)
        while True:
            head = f.read(8)
            if len(head) < 8:
                sys.exit(f"bench: {path}: no data chunk")
            size = int.from_bytes(head[4:8], "little")
            if head[:4] == b"data":
                return f.tell()
            f.seek(size + (size & 1), 1)


def long_equivalence():
    """#13's long-file check: 60 minutes of 48 kHz through the polyphase engine and through
    libsamplerate itself, as floats with nothing else in the chain; returns the largest
    |difference| over every sample and whether the lengths agree."""
    source = CORPUS / "mono48k-60min.wav"
    common = ["--force", "--quiet", "--encoding", "f32", "--highpass", "0", "--gain", "1"]
    outputs = {}
    for engine in ["libsamplerate", "libsamplerate-direct"]:
        out = OUT / f"eq-{engine}.wav"
        subprocess.run([str(BIN), str(source), "-o", str(out), "--resampler", engine] + common, check=True)
        outputs[engine] = out
    a_path, b_path = outputs["libsamplerate"], outputs["libsamplerate-direct"]
    same_length = a_path.stat().st_size - data_offset(a_path) == b_path.stat().st_size - data_offset(b_path)
    largest = 0.0
    with open(a_path, "rb") as a, open(b_path, "rb") as b:
        a.seek(data_offset(a_path))
        b.seek(data_offset(b_path))
        while True:
            x, y = array.array("f"), array.array("f")
            x.frombytes(a.read(4 << 20))
            y.frombytes(b.read(4 << 20))
            if not x:
                break
            largest = max(largest, max(abs(p - q) for p, q in zip(x, y)))
    for out in outputs.values():
        out.unlink()
    return largest, same_length


def main():
    if not BIN.exists():
        sys.exit(f"bench: {BIN} missing: run `make build` (or `make bench`)")
    if not SELECTED and not (CORPUS / "mono48k-60min.wav").exists():
        sys.exit(f"bench: corpus missing: run bench/corpus.sh (or `make bench`)")
    OUT.mkdir(parents=True, exist_ok=True)
    # audioprep keeps polyphase tables between runs (#22): in a cache of the benchmark's own,
    # filled by each case's warm-up run, never the user's.
    os.environ["XDG_CACHE_HOME"] = str(OUT / "table-cache")
    started = time.monotonic()
    meta = machine()
    print(f"bench: {meta['versions']['audioprep']} at {meta['commit']}, {REPS} reps, "
          f"{meta['cores']} cores ({meta['cpu']})")
    all_cases = [k for k in cases() if not SELECTED or k.id in SELECTED]
    for case in all_cases:
        measure(case)
        for path, n in getattr(case, "expected_outputs", {}).items():
            got = sum(1 for _ in path.rglob("*.wav"))  # batch also writes a manifest there
            if got != n:
                sys.exit(f"bench: ({case.id}) {path}: {got} .wav outputs, expected {n}")
    text = table(all_cases)
    if not SELECTED or "eq" in SELECTED:
        largest, same_length = long_equivalence()
        verdict = "PASS" if largest <= 1e-6 and same_length else "MISS"
        text += (f"\n(eq) 60 min of 48 kHz, polyphase engine against libsamplerate itself (f32, nothing else)"
                 f"\n    target max |difference| over every sample: {largest:.2e} <= 1e-06, same length: {same_length}  {verdict}")
        meta["long_equivalence"] = {"max_abs_difference": largest, "same_length": same_length}
    print()
    print(text)
    current = to_json(all_cases, meta)
    compare_with_previous(current)
    if SELECTED:
        print(f"\nbench: only {','.join(SELECTED)}: {RESULTS.relative_to(ROOT)} left as it was")
        shutil.rmtree(OUT, ignore_errors=True)
        shutil.rmtree(BENCH / "out-disk", ignore_errors=True)
        return
    if RESULTS.exists():
        RESULTS.replace(PREVIOUS)
    RESULTS.write_text(json.dumps(current, indent=1) + "\n")
    (BENCH / "results.txt").write_text(text + "\n")
    shutil.rmtree(OUT, ignore_errors=True)
    shutil.rmtree(BENCH / "out-disk", ignore_errors=True)
    print(f"\nbench: {RESULTS.relative_to(ROOT)} written; {time.monotonic() - started:.0f} s in all")


if __name__ == "__main__":
    main()
