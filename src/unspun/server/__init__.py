"""The web service and page (``unspun serve``): see :mod:`unspun.server.app`."""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(settings=None):
    from .app import create_app as build

    return build(settings)
