"""Check that a built wheel carries every file of the package that git tracks.

    python scripts/check_wheel.py dist/unspun-*.whl

Exits 1 listing the files under ``src/unspun/`` (git-tracked, not ``.pyc``) that the wheel lacks,
so a new data file, model or template can never be left out of ``pip install .`` unnoticed.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "src/unspun/"


def tracked_files() -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", PACKAGE], cwd=ROOT, check=True, capture_output=True
    ).stdout.decode("utf-8")
    return {
        name[len("src/") :] for name in listed.split("\0") if name and not name.endswith(".pyc")
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write(__doc__)
        return 2
    with zipfile.ZipFile(argv[0]) as wheel:
        shipped = set(wheel.namelist())
    missing = sorted(tracked_files() - shipped)
    stray = sorted(n for n in shipped if "__pycache__" in n or n.endswith(".pyc"))
    for name in missing:
        print(f"missing from the wheel: {name}")
    for name in stray:
        print(f"should not be in the wheel: {name}")
    if missing or stray:
        return 1
    print(f"{argv[0]}: all {len(tracked_files())} tracked package files present")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
