"""Progress lines for long commands (进度): each step named, a bar, elapsed seconds.

`doorstep demo --progress` (what `make run` passes) and any run whose output is a terminal
show them; tests and pipes get only the commands' own summary lines."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

BAR_WIDTH = 20


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """`██████░░░░` for done/total (a total of 0 is shown as complete)."""
    filled = width if total <= 0 else min(width, done * width // total)
    return "█" * filled + "░" * (width - filled)


class Progress:
    """Counts named steps out of a known total and prints one line as each starts and ends:
    `[ 3/12] ███████░░░░░░░░░░░░░  历史事项 … 完成，12.3 秒（共 45.6 秒）`."""

    def __init__(self, write: Callable[[str], Any], total: int, enabled: bool) -> None:
        self.write = write
        self.total = total
        self.enabled = enabled
        self.done = 0
        self.started = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time one step; the line says its name before it runs and its seconds after."""
        began = time.perf_counter()
        if self.enabled:
            self.write(f"{self._prefix()}  {name} …")
        yield
        self.done += 1
        if self.enabled:
            self.write(
                f"{self._prefix()}  {name} 完成，{time.perf_counter() - began:.1f} 秒"
                f"（共 {self.elapsed():.1f} 秒）"
            )

    def count(self, name: str, done: int, total: int) -> None:
        """A counter inside a long step: `写入事项 12,000 / 29,710`."""
        if self.enabled:
            self.write(f"        {bar(done, total, 10)}  {name} {done:,} / {total:,}")

    def _prefix(self) -> str:
        width = len(str(self.total))
        return f"[{self.done:>{width}}/{self.total}] {bar(self.done, self.total)}"
