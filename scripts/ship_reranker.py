"""Ship a trained fact-check reranker: copy RUN/reranker.json into the package and rewrite its manifest.

    python scripts/ship_reranker.py RUN/reranker.json

The matcher loads ``src/unspun/models/factcheck-reranker/reranker.json`` only if it matches the
sha256 its ``manifest.json`` lists, so the file is never copied by hand.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from unspun.modelstore import BUNDLED_MODELS_ROOT, write_manifest

TARGET = BUNDLED_MODELS_ROOT / "factcheck-reranker"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write(__doc__)
        return 2
    source = Path(argv[0])
    weights = json.loads(source.read_text(encoding="utf-8"))  # refuse to ship a broken file
    if not isinstance(weights, dict) or "coef" not in weights:
        sys.stderr.write(f"{source}: not a reranker (no 'coef')\n")
        return 2
    previous = json.loads((TARGET / "manifest.json").read_text(encoding="utf-8"))
    shutil.copyfile(source, TARGET / "reranker.json")
    meta = {k: v for k, v in previous.items() if k != "files"}
    path = write_manifest(TARGET, ["reranker.json"], **meta)
    print(f"shipped {source} -> {TARGET / 'reranker.json'} ({path})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
