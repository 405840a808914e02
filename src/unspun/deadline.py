"""A time budget for one analysis: past it, the analysis stops and its article becomes a Failure.

The budget is checked between the analysis's steps (each parsing batch, each component), never by
interrupting it: an asynchronous exception (a signal) can land inside an import or a C extension's
callback and leave the process broken, which was seen. Every step is linear in the article's
length, so the overshoot is at most one step. :class:`TimeUp` derives from ``BaseException`` so
that no component's ``except Exception`` swallows it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class TimeUp(BaseException):
    """The analysis took longer than its budget."""


class Deadline:
    """``check()`` raises :class:`TimeUp` once ``seconds`` have passed (never with ``None``)."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.expires = time.monotonic() + seconds if seconds else None

    def check(self) -> None:
        if self.expires is not None and time.monotonic() > self.expires:
            raise TimeUp(f"took longer than {self.seconds:g} s")


@contextmanager
def time_limit(seconds: float | None) -> Iterator[Deadline]:
    """The deadline of a block run under a budget of ``seconds`` (``None`` or 0: no limit)."""
    yield Deadline(seconds)
