"""Writing output files: one place that turns an OS error into a coded :class:`OutputError`."""

from __future__ import annotations

from pathlib import Path

from .errors import OutputError


def write_text(path: Path | str, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path``, creating its directory.

    Any OS error (no permission, a file where a directory should be, a full disk) becomes an
    :class:`OutputError` (U400) naming the path and the reason, never a traceback.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as err:
        raise OutputError(
            str(path),
            f"cannot write output: {err.strerror or err}",
            hint="check the path, its permissions and the free disk space",
        ) from None


def write_lines(path: Path | str, lines: list[str]) -> None:
    """Write one line per item (each ended by ``\\n``); see :func:`write_text`."""
    write_text(path, "".join(line + "\n" for line in lines))
