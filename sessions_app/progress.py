"""How far a long command is (import, export, rebuilding the search index).

On a terminal, a tqdm progress bar; in a log (stdout is a file or a pipe), a plain line at every
tenth of the work and at least every LOG_EVERY_SECONDS, so that a long job in a log still shows
it is alive without filling the log with a line a record.
"""

from __future__ import annotations

import time
from typing import TextIO

from tqdm import tqdm

LOG_EVERY_SECONDS = 10.0


class Progress:
    """Count `total` records of `what` ("statements") as they are done: `advance(n)`, then
    `close()` (or use it as a context manager)."""

    def __init__(self, out: TextIO, total: int, what: str, *, enabled: bool = True):
        self.out = out
        self.total = max(total, 0)
        self.what = what
        self.done = 0
        self.enabled = enabled and self.total > 0
        self.bar = None
        isatty = getattr(out, "isatty", lambda: False)
        if self.enabled and isatty():
            # A management command's OutputWrapper would end each of tqdm's redraws with a
            # newline: the bar writes to the stream beneath it.
            stream = getattr(out, "_out", out)
            self.bar = tqdm(total=self.total, unit=f" {what}", file=stream, dynamic_ncols=True)
        self.next_tenth = 1
        self.last_line = time.monotonic()

    def advance(self, n: int = 1) -> None:
        if not self.enabled or n <= 0:
            return
        self.done = min(self.total, self.done + n)
        if self.bar is not None:
            self.bar.update(n)
            return
        tenth = self.done * 10 // self.total
        now = time.monotonic()
        if tenth >= self.next_tenth or now - self.last_line >= LOG_EVERY_SECONDS:
            self.next_tenth = tenth + 1
            self.last_line = now
            self._line()

    def _line(self) -> None:
        percent = self.done * 100 // self.total
        self.out.write(f"{self.what}: {self.done:,} of {self.total:,} ({percent}%)\n")
        self.out.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
