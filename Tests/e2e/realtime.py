"""Stands in for arecord: copies raw audio from stdin to stdout at real time, 100 ms at a time.

Usage: realtime.py RATE BYTES_PER_FRAME < audio.raw | audioprep - --in-rate RATE … --live
"""

import sys
import time


def main():
    rate, bytes_per_frame = int(sys.argv[1]), int(sys.argv[2])
    data = sys.stdin.buffer.read()
    block = rate * bytes_per_frame // 10
    start = time.monotonic()
    for n, offset in enumerate(range(0, len(data), block), 1):
        sys.stdout.buffer.write(data[offset:offset + block])
        sys.stdout.buffer.flush()
        time.sleep(max(0.0, start + n * 0.1 - time.monotonic()))


if __name__ == "__main__":
    main()
