"""The run loop every interface shares: read inputs, analyse them in batches, write, collect failures.

``run(inputs, analyzer, sink)`` is what ``unspun analyze`` does, and what the web service's batch
endpoint and the corpus engine call: inputs are Articles, strings or :class:`InputError` s (as
:func:`unspun.ingest.read_inputs` and :func:`unspun.ingest.read_bytes` yield them), the Analyzer
turns each into a Report or a Failure, and the sink receives them in input order. Nothing is lost:
a bad item becomes a Failure for that item only and the loop goes on. The returned
:class:`RunSummary` gives the exit status.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from .analyzer import Analyzer, Failure
from .document import Article
from .errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_PARTIAL, InputError
from .report import Report


@runtime_checkable
class Sink(Protocol):
    """Where a run's results go, in input order."""

    def report(self, report: Report) -> None:
        """One analysed article."""

    def failure(self, failure: Failure) -> None:
        """One input that could not be analysed (the run goes on)."""

    def close(self, summary: RunSummary) -> None:
        """Called once, after the last input (not called when the run is interrupted)."""


@dataclass
class RunSummary:
    """What a run did: how many inputs were analysed, and which failed and why."""

    analysed: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.analysed + len(self.failures)

    @property
    def exit_code(self) -> int:
        if not self.failures:
            return EXIT_OK if self.analysed else EXIT_FAILED
        return EXIT_PARTIAL if self.analysed else EXIT_FAILED


@dataclass
class CollectingSink:
    """Keeps every Report and Failure in memory (for callers that render everything at the end)."""

    reports: list[Report] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    summary: RunSummary | None = None

    def report(self, report: Report) -> None:
        self.reports.append(report)

    def failure(self, failure: Failure) -> None:
        self.failures.append(failure)

    def close(self, summary: RunSummary) -> None:
        self.summary = summary


@dataclass
class CallbackSink:
    """Hands each result to a function as it arrives (streaming output, progress bars)."""

    on_report: Callable[[Report], None]
    on_failure: Callable[[Failure], None] = lambda failure: None
    on_close: Callable[[RunSummary], None] = lambda summary: None

    def report(self, report: Report) -> None:
        self.on_report(report)

    def failure(self, failure: Failure) -> None:
        self.on_failure(failure)

    def close(self, summary: RunSummary) -> None:
        self.on_close(summary)


def run(
    inputs: Iterable[Article | str | InputError],
    analyzer: Analyzer,
    sink: Sink,
) -> RunSummary:
    """Analyse every input with ``analyzer`` (in its batches) and hand each result to ``sink``.

    Inputs are read lazily, so a directory of a million files streams through in constant memory.
    Returns the :class:`RunSummary`; its ``exit_code`` is the status the CLI exits with.
    """
    summary = RunSummary()
    for result in analyzer.analyze_batch(inputs):
        if isinstance(result, Failure):
            summary.failures.append(result)
            sink.failure(result)
        else:
            summary.analysed += 1
            sink.report(result)
    sink.close(summary)
    return summary


__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "CallbackSink",
    "CollectingSink",
    "RunSummary",
    "Sink",
    "run",
]
