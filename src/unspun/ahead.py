"""Work started ahead: a component's per-text step run in a background thread while spaCy parses.

The encoder (ONNX Runtime) releases the GIL while it runs, and spaCy's parser leaves one of two
cores mostly idle, so encoding a batch's texts while they are parsed hides most of one of the two
costs (measured on 30 PTC articles on 2 cores: parse 5.1 s and encode 5.1 s one after the other,
8.0 s side by side). A component opts in with a ``prefetch(texts) -> Ahead | None`` method; the
Analyzer starts it before parsing, hands the :class:`Ahead` to each document
(``doc.cache[ahead_key(name)]``), and cancels it when the batch ends, whatever happened. The
component's ``process`` takes each text's result with :meth:`Ahead.take`, and computes it itself
where there is none (a text that failed, a cancelled run, a document retried alone): results are
the same either way, since the step runs once per text, never mixing texts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any


def ahead_key(component: str) -> str:
    """The ``doc.cache`` key under which a component finds its :class:`Ahead`."""
    return f"{component}:ahead"


class Ahead:
    """``step(text)`` for each of ``texts``, in order, in one daemon thread started at once."""

    def __init__(self, step: Callable[[str], Any], texts: Sequence[str]):
        self._step = step
        self._texts = list(texts)
        self._results: dict[str, Any] = {}
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._run, name="unspun-ahead", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for text in self._texts:
            if self._cancelled.is_set():
                return
            if text in self._results:
                continue
            try:
                self._results[text] = self._step(text)
            except Exception:  # noqa: BLE001, S112 - the component recomputes it and reports the error
                continue

    def take(self, text: str) -> Any | None:
        """The result for ``text`` once the thread is done (waiting for it), or None when there is
        none: the text was not given, its step failed, or the run was cancelled before it."""
        self._thread.join()
        return self._results.get(text)

    def cancel(self) -> None:
        """Stop after the text in progress and drop the results (the documents keep theirs)."""
        self._cancelled.set()
        self._thread.join()
        self._results.clear()


__all__ = ["Ahead", "ahead_key"]
