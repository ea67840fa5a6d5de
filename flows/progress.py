"""Progress of a run, for whoever listens (the CLI's progress bar); silent otherwise.

A listener is a plain callable set by the caller, not a flow parameter: Prefect records
flow parameters, and a callback is no parameter a scheduled run could carry.
"""

from __future__ import annotations

from typing import Callable

_listener: Callable[[int, int], None] | None = None


def listen(listener: Callable[[int, int], None] | None) -> None:
    """Set (or clear, with None) the callable told (pages done, pages known) after each batch."""
    global _listener
    _listener = listener


def report(done: int, known: int) -> None:
    if _listener is not None:
        _listener(done, known)
