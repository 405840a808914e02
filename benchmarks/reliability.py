"""Reliability diagrams of unspun's calibrated scores, from out-of-fold predictions.

    python benchmarks/reliability.py [--data DIR] [--out docs/reliability.png]

Runs the three calibration/training commands into a temporary folder (``configs/spans.toml``,
``configs/framing.toml``, ``configs/genre.toml``: about a minute in all; the shipped models are not
touched), reads the out-of-fold predictions they write (``oof.json``) and draws, for technique
spans in both taxonomies, frames and the genre's top score, the share right per score bin against
the score, before (raw) and after calibration, with the expected calibration error (10 bins). The
genre panel weights articles as a news stream would mix them (the prior's class shares).
Needs the ``train`` and ``dev`` extras (torch for the genre fit, matplotlib).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def ece(probability: np.ndarray, right: np.ndarray, weight: np.ndarray, bins: int = 10) -> float:
    which = np.clip((probability * bins).astype(int), 0, bins - 1)
    total, error = weight.sum(), 0.0
    for b in range(bins):
        m = which == b
        if m.any():
            w = weight[m]
            error += (
                w.sum()
                / total
                * abs(np.average(probability[m], weights=w) - np.average(right[m], weights=w))
            )
    return float(error)


def curve(probability: np.ndarray, right: np.ndarray, weight: np.ndarray, bins: int = 10):
    which = np.clip((probability * bins).astype(int), 0, bins - 1)
    xs, ys, ns = [], [], []
    for b in range(bins):
        m = which == b
        if m.sum() >= 5:
            xs.append(np.average(probability[m], weights=weight[m]))
            ys.append(np.average(right[m], weights=weight[m]))
            ns.append(int(m.sum()))
    return xs, ys, ns


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=os.environ.get("UNSPUN_DATA", str(ROOT.parent / "shared" / "data"))
    )
    parser.add_argument("--out", default=str(ROOT / "docs" / "reliability.png"))
    args = parser.parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from unspun.train import train

    panels: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for config in ("spans", "framing", "genre"):
            out = Path(tmp) / config
            train(ROOT / "configs" / f"{config}.toml", Path(args.data), out, log=lambda *_: None)
            panels.update(json.loads((out / "oof.json").read_text(encoding="utf-8")))
    titles = {
        "semeval2020": "Technique spans (2020 taxonomy)",
        "semeval2023": "Technique spans (2023 taxonomy)",
        "frames": "Frames",
        "genre": "Genre, top score (news-stream weights)",
    }
    figure, axes = plt.subplots(1, len(titles), figsize=(4.2 * len(titles), 4.4))
    summary = {}
    for axis, (key, title) in zip(axes, titles.items(), strict=True):
        data = panels[key]
        right = np.asarray(data["right"], dtype=float)
        weight = np.asarray(data.get("weight", np.ones(len(right))), dtype=float)
        axis.plot([0, 1], [0, 1], color="#999", linewidth=1, linestyle="--")
        figures = {}
        for name, values, style in (
            ("raw", data["raw"], "o-"),
            ("calibrated", data["probability"], "s-"),
        ):
            p = np.asarray(values, dtype=float)
            xs, ys, _ = curve(p, right, weight)
            figures[name] = round(ece(p, right, weight), 3)
            axis.plot(xs, ys, style, label=f"{name} (ECE {figures[name]:.3f})")
        summary[key] = {**figures, "items": len(right)}
        axis.set_title(f"{title}\n{len(right):,} out-of-fold predictions", fontsize=10)
        axis.set_xlabel("score")
        axis.set_ylabel("share right")
        axis.set_xlim(0, 1)
        axis.set_ylim(0, 1)
        axis.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    figure.savefig(args.out, dpi=110)
    print(json.dumps(summary))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
