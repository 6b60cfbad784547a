"""CPU seconds per process (and per thread) over a stretch of a benchmark, read from /proc (Linux only).

    with ProcessCpu() as cpu:
        ...
    cpu.seconds()  # {(pid, tid): seconds}; cpu.by_group(classify) sums them

A thread samples /proc every SAMPLE_SECONDS and keeps each thread's last reading, so a process that ends
during the stretch (a forked stand-in's connection handler) still counts, less at most one sample's worth.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

# Each sample reads every thread's stat file (a few hundred during a send): at 0.2 s the sampling itself took
# about 5 CPU seconds of a 100-second send, on the cores it measures. The processes it must catch before they
# end (a stand-in's connection handlers) live as long as their connections, many seconds.
SAMPLE_SECONDS = 1.0
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

# (pid, tid) -> (comm, pgid, ticks); a PostgreSQL process's comm is its title ("postgres: user db host idle")
Reading = dict[tuple[int, int], tuple[str, int, int]]
_titles: dict[int, str] = {}


def _stat(path: Path) -> tuple[str, int, int] | None:
    try:
        text = path.read_text()
    except OSError:
        return None
    comm = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    # fields[0] is the state (stat field 3): pgrp is field 5, utime 14, stime 15
    return comm, int(fields[2]), int(fields[11]) + int(fields[12])


def process_seconds(pid: int) -> float:
    """One process's user + system CPU seconds so far, all its threads together (0 when it has gone)."""
    found = _stat(Path(f"/proc/{pid}/stat"))
    return found[2] / TICKS if found else 0.0


def read_all() -> Reading:
    reading: Reading = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        pid = int(proc.name)
        try:
            tids = [int(t.name) for t in (proc / "task").iterdir()]
        except OSError:
            continue
        for tid in tids:
            found = _stat(proc / "task" / str(tid) / "stat")
            if found is None:
                continue
            if found[0] == "postgres":
                if pid not in _titles:
                    try:
                        _titles[pid] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    except OSError:
                        _titles[pid] = "postgres"
                found = (_titles[pid], found[1], found[2])
            reading[(pid, tid)] = found
    return reading


class ProcessCpu:
    def __init__(self) -> None:
        self.first: Reading = {}
        self.last: Reading = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ProcessCpu:
        self.first = read_all()
        self.last = dict(self.first)
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop.set()
        self.thread.join()
        self.last.update(read_all())

    def _sample(self) -> None:
        while not self.stop.wait(SAMPLE_SECONDS):
            self.last.update(read_all())

    def by_group(self, classify: Callable[[int, int, str, int], str | None]) -> Counter[str]:
        """CPU seconds per group; classify(pid, tid, comm, pgid) names a thread's group (None: not counted)."""
        groups: Counter[str] = Counter()
        for (pid, tid), (comm, pgid, ticks) in self.last.items():
            before = self.first.get((pid, tid))
            spent = ticks - (before[2] if before else 0)
            if spent <= 0:
                continue
            group = classify(pid, tid, comm, pgid)
            if group:
                groups[group] += spent / TICKS
        return groups


def idle_seconds() -> float:
    """The machine's idle CPU seconds since boot, all cores (from /proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    return (int(fields[3]) + int(fields[4])) / TICKS
