"""Errors that unspun raises on purpose: each has a code, a one-line message and a hint of the fix."""

from __future__ import annotations


class UnspunError(Exception):
    """Base class: ``str(err)`` is a single line fit for stderr, ``err.code`` is stable (e.g. ``U101``)."""

    code = "U000"

    def __init__(self, message: str, hint: str | None = None):
        self.message = " ".join(str(message).split())
        self.hint = " ".join(hint.split()) if hint else None
        super().__init__(self.message)

    def __str__(self) -> str:  # one line, always
        text = f"[{self.code}] {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class InputError(UnspunError):
    """An input item cannot be read or is not an article (missing, empty, binary, too long, malformed)."""

    code = "U100"

    def __init__(self, item: str, reason: str, hint: str | None = None, code: str | None = None):
        self.item = item
        self.reason = reason
        if code:
            self.code = code
        super().__init__(f"{item}: {reason}", hint)


class ModelError(UnspunError):
    """A shipped model or language pipeline is missing or fails its integrity check."""

    code = "U200"


class ConfigError(UnspunError):
    """A configuration or option value is invalid."""

    code = "U300"
