"""A terminal progress bar with elapsed time, for long imports."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Call it as `progress(label, done, total)`; it redraws one line on stderr."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.perf_counter()

    def __call__(self, label: str, done: int, total: int) -> None:
        total = max(total, 1)
        filled = int(self.width * min(done, total) / total)
        bar = "█" * filled + "░" * (self.width - filled)
        elapsed = time.perf_counter() - self.started
        end = "\n" if done >= total else ""
        self.stream.write(f"\r[{bar}] {done}/{total} {label[:40]:<40} {elapsed:6.1f} s{end}")
        self.stream.flush()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started
