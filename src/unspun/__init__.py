"""unspun: read a news article the way a careful fact-checker does.

>>> import unspun
>>> report = unspun.analyze("Kiev insists the town of Bucha ...")   # doctest: +SKIP

Heavy libraries (spaCy, ONNX Runtime) load lazily, on first analysis, so importing unspun and
running ``unspun --help`` stay instant.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Analyzer", "Article", "Report", "__version__", "analyze"]


def __getattr__(name: str):
    if name in ("Analyzer", "analyze"):
        from . import analyzer

        return getattr(analyzer, name)
    if name == "Article":
        from .document import Article

        return Article
    if name == "Report":
        from .report import Report

        return Report
    raise AttributeError(f"module 'unspun' has no attribute {name!r}")
