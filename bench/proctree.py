"""CPU seconds and memory of this process and all its descendants, sampled from /proc (Linux).

Wall-clock rates on a shared 2-core machine move with the neighbours' load; CPU seconds per
page per process move much less, so the benchmarks print both.  Worker processes come and
go during a run, so the tree is sampled in a background thread and the last value seen of
each process is kept (CPU time only grows).
"""

from __future__ import annotations

import os
import threading

from collections import defaultdict
from dataclasses import dataclass, field

TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = defaultdict(list)
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        tree[int(stat[1])].append(int(name))
    return tree


def _descendants(root: int) -> list[int]:
    tree, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, ()))
    return found


def _sample(pid: int) -> tuple[str, float, int] | None:
    """(role, CPU seconds, RSS bytes) of one process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read().rsplit(b")", 1)[1].split()
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            cmdline = handle.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    return role_of(pid, cmdline), (int(stat[11]) + int(stat[12])) / TICKS, int(stat[21]) * PAGE


def role_of(pid: int, cmdline: str) -> str:
    if pid == os.getpid():
        return "flow"
    if "uvicorn" in cmdline or "prefect.server" in cmdline or "SubprocessASGIServer" in cmdline:
        return "prefect server"
    if "resource_tracker" in cmdline:
        return "other"
    if "multiprocessing" in cmdline or "spawn_main" in cmdline or "forkserver" in cmdline:
        return "worker"
    if "distributed" in cmdline or "dask" in cmdline:
        return "worker"
    return "other: " + " ".join(cmdline.split()[:4])[:80]


@dataclass
class Usage:
    cpu: dict[int, tuple[str, float]] = field(default_factory=dict)  # pid -> (role, CPU seconds)
    peak_rss: int = 0  # bytes, whole tree at its largest sample

    def by_role(self) -> dict[str, tuple[int, float]]:
        """role -> (processes, CPU seconds)."""
        roles: dict[str, list[float]] = defaultdict(list)
        for role, seconds in self.cpu.values():
            roles[role].append(seconds)
        return {role: (len(v), sum(v)) for role, v in sorted(roles.items())}


class ProcessTree:
    """Sample the process tree until stopped; `usage` holds CPU used since start and peak RSS."""

    def __init__(self, interval: float = 0.25, root: int | None = None):
        self.interval, self.root = interval, root or os.getpid()
        self.usage = Usage()
        self._start: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "ProcessTree":
        for pid in _descendants(self.root):
            sample = _sample(pid)
            if sample:
                self._start[pid] = sample[1]
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._take()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._take()

    def _take(self) -> None:
        rss = 0
        for pid in _descendants(self.root):
            sample = _sample(pid)
            if not sample:
                continue
            role, seconds, resident = sample
            rss += resident
            role = self.usage.cpu.get(pid, (role,))[0]  # an exiting process has no cmdline left: keep its first role
            self.usage.cpu[pid] = (role, seconds - self._start.get(pid, 0.0))
        self.usage.peak_rss = max(self.usage.peak_rss, rss)

    def report(self, pages: int) -> str:
        """'flow 1.2 ms/page, 2 workers 30.1 ms/page each, ...' for a run over `pages` pages."""
        parts = []
        for role, (count, seconds) in self.usage.by_role().items():
            per_page = 1000 * seconds / max(pages, 1)
            each = f" ({per_page / count:.1f} each)" if count > 1 else ""
            parts.append(f"{role}{f' x{count}' if count > 1 else ''} {per_page:.1f}{each}")
        return "CPU ms/page: " + ", ".join(parts) + f"; peak RSS of the tree {self.usage.peak_rss / 1e6:.0f} MB"


