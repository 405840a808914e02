"""``@per_object``: remember a function's result for the last object it was called with.

Per-article indexes (the rules' cues, quote pairs, entity mentions, word-piece offsets) are built
once and then asked many times while one article is analysed; the next article brings new objects.
The cache holds one ``(object, result)`` pair, matched by identity (``is``), so it never grows, and
replacing the pair is a single assignment, safe when several threads analyse at once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

A = TypeVar("A")
R = TypeVar("R")


def per_object(build: Callable[[A], R]) -> Callable[[A], R]:
    """Decorator: ``build(obj)`` is computed once for each object in a row (one article at a time)."""
    last: list[tuple[A, R] | None] = [None]

    @functools.wraps(build)
    def cached(obj: A) -> R:
        entry = last[0]
        if entry is not None and entry[0] is obj:
            return entry[1]
        result = build(obj)
        last[0] = (obj, result)
        return result

    return cached
