"""The local fact-check memory: a SQLite store (FTS5 + embeddings), importers, hybrid matching.

Imports are lazy so ``import unspun.factcheck`` costs nothing until a name is used.
"""
from __future__ import annotations

__all__ = ["FactCheckStore", "FactCheckRecord", "FactCheckMatcher", "Match", "MATCH_THRESHOLD",
           "read_records", "normalise_verdict", "parse_date", "default_store_path"]

_WHERE = {"FactCheckStore": "store", "default_store_path": "store", "FactCheckRecord": "records",
          "normalise_verdict": "records", "parse_date": "records", "FactCheckMatcher": "matching",
          "Match": "matching", "MATCH_THRESHOLD": "matching", "read_records": "importers"}


def __getattr__(name):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(name)
