"""The local fact-check memory: a SQLite store (FTS5 + embeddings), importers, hybrid matching.

Imports are lazy so ``import unspun.factcheck`` costs nothing until a name is used.
"""

from __future__ import annotations

__all__ = [
    "MATCH_THRESHOLD",
    "FactCheckMatcher",
    "FactCheckRecord",
    "FactCheckStore",
    "Match",
    "default_store_path",
    "normalise_verdict",
    "parse_date",
    "read_records",
]

_WHERE = {
    "FactCheckStore": "store",
    "default_store_path": "store",
    "FactCheckRecord": "records",
    "normalise_verdict": "records",
    "parse_date": "records",
    "FactCheckMatcher": "matching",
    "Match": "matching",
    "MATCH_THRESHOLD": "matching",
    "read_records": "importers",
}


def __getattr__(name):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(name)
