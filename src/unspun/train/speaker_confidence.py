"""Fit the speaker confidence (:mod:`unspun.claims.speaker_confidence`):
``unspun train -c configs/speaker-confidence.toml``.

Analyses every article of ``--data`` that the hand-judged speaker labels name (Horne & Adali's
real and fake news, PolNeAR dev, SemEval-2023 dev, test and training articles, the real news
pages), pairs each judged attribution with its claims (:func:`unspun.evaluate.speakers.
judge_speakers`) and keeps, per claim, the way its speaker was read off the source
(:func:`~unspun.claims.speaker_confidence.route_of`), its type, and whether a reader names the same
speaker. The rates are smoothed toward the way's rate and that toward the overall rate (``prior``
claims' worth); cells with fewer than ``min_count`` claims use their parent. The out-of-fold
figures (5-fold cross-validation grouped by article: calibration error, Brier score, against one
overall rate) are recorded, and the shipped rates are fitted on every judged claim.
"""

from __future__ import annotations

import csv
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from ..claims.speaker_confidence import MODEL_FILE, route_of
from ..errors import ConfigError
from .fitting import calibration_error, group_folds, publish_json_model, read_config

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "folds": 5,
    "prior": 10.0,
    "min_count": 15,
    "labels": "../benchmarks/labels",
    "pattern": "*speakers*.tsv",
}


def _texts(data: Path, pages: set[str], log) -> dict[str, str]:
    """The judged articles' texts from the corpora under ``data``, by the labels' page ids."""
    texts: dict[str, str] = {}
    horne = data / "horne2017-fakenewsdata" / "articles.jsonl"
    if horne.is_file():
        with horne.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record["id"] in pages:
                    texts[record["id"]] = f"{record.get('title') or ''}\n\n{record['text']}".strip()
    polnear = data / "polnear" / "dev" / "text"
    semeval = data / "semeval2023-task3-en" / "data" / "en"
    for page in sorted(pages - set(texts)):
        for path in (
            polnear / f"{page}.txt",
            *(
                semeval / f"{split}-articles-subtask-1" / f"article{page}.txt"
                for split in (
                    "dev",
                    "test",
                    "train",
                )
            ),
        ):
            if path.is_file():
                texts[page] = path.read_text(encoding="utf-8")
                break
    return texts


def _reports(data: Path, pages: set[str], log) -> dict[str, dict]:
    from ..analyzer import Analyzer
    from ..ingest import read_file

    analyzer = Analyzer(language="en")
    texts = _texts(data, pages, log)
    ids = sorted(texts)
    reports = {
        i: json.loads(r.model_dump_json())
        for i, r in zip(ids, analyzer.analyze_batch([texts[i] for i in ids]), strict=True)
    }
    html = data / "realnews-pages" / "pages"
    for page in sorted(pages - set(reports)):
        path = html / f"{page}.html"
        if not path.is_file():
            continue
        for item in read_file(str(path)):
            if hasattr(item, "text"):
                reports[page] = json.loads(analyzer.analyze(item).model_dump_json())
    missing = pages - set(reports)
    if missing:
        log(f"speaker confidence: {len(missing)} judged articles not under {data} (skipped)")
    return reports


def _rates(keys: list[tuple[str, str]], right: np.ndarray, prior: float, minimum: int) -> dict:
    """Smoothed rates by the finer key and type, the finer key, and the way."""
    overall = float(right.mean()) if len(right) else 0.5
    cells: dict[str, list[float]] = defaultdict(list)
    for (key, kind), ok in zip(keys, right, strict=True):
        route = key.split(":")[0]
        for cell in {route, key, f"{key}|{kind}"}:
            cells[cell].append(float(ok))
    rates: dict[str, float] = {}
    for cell in sorted(cells, key=lambda c: (c.count(":") + c.count("|"), c)):
        values = cells[cell]
        if len(values) < minimum:
            continue
        parent = (
            rates.get(cell.split("|")[0], overall)
            if "|" in cell
            else rates.get(cell.split(":")[0], overall)
            if ":" in cell
            else overall
        )
        rates[cell] = round((sum(values) + prior * parent) / (len(values) + prior), 4)
    return {"overall": round(overall, 4), "rates": rates}


def _confidence(model: dict, key: str, kind: str) -> float:
    route = key.split(":")[0]
    for cell in (f"{key}|{kind}", key, route):
        if cell in model["rates"]:
            return model["rates"][cell]
    return model["overall"]


def run_speaker_confidence(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    config, settings = read_config(config_path, DEFAULTS)
    labels_dir = (Path(config_path).parent / settings["labels"]).resolve()
    files = sorted(labels_dir.glob(str(settings["pattern"])))
    if not files:
        raise ConfigError(f"no speaker labels matching {settings['pattern']} in {labels_dir}")
    rows: dict[str, list[dict]] = {}
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            rows[path.name] = list(csv.DictReader(handle, delimiter="\t"))
    pages = {r["page"] for file_rows in rows.values() for r in file_rows}
    started = time.time()
    reports = _reports(Path(data_dir), pages, log)
    from ..evaluate.speakers import judge_speakers

    keys: list[tuple[str, str]] = []
    right: list[float] = []
    groups: list[str] = []
    seen: set[tuple[str, str]] = set()
    for file_rows in rows.values():
        for verdict in judge_speakers(reports, file_rows):
            if (verdict.page, verdict.claim) in seen:
                continue  # a claim two label files judge counts once
            seen.add((verdict.page, verdict.claim))
            claim = next(
                c for c in reports[verdict.page]["claims"]["claims"] if c["id"] == verdict.claim
            )
            speaker = claim.get("speaker") or {}
            _, key = route_of(
                (claim.get("source") or {}).get("text"), speaker.get("name"), speaker.get("entity")
            )
            keys.append((key, speaker.get("type") or "unknown"))
            right.append(float(verdict.right))
            groups.append(verdict.page)
    if len(right) < 100:
        raise ConfigError(f"only {len(right)} judged claims found again: cannot fit")
    y = np.asarray(right)
    prior, minimum = float(settings["prior"]), int(settings["min_count"])
    folds = group_folds(groups, int(settings["folds"]), int(settings["seed"]))
    oof = np.zeros_like(y)
    flat = np.zeros_like(y)
    for fold in range(int(settings["folds"])):
        train, test = folds != fold, folds == fold
        model = _rates([k for k, t in zip(keys, train, strict=True) if t], y[train], prior, minimum)
        oof[test] = [_confidence(model, k, t) for (k, t), s in zip(keys, test, strict=True) if s]
        flat[test] = model["overall"]
    by_route: dict[str, list[int]] = defaultdict(list)
    for i, (key, _) in enumerate(keys):
        by_route[key.split(":")[0]].append(i)
    figures = {
        "claims": len(y),
        "articles": len(set(groups)),
        "right": round(float(y.mean()), 4),
        "ece": round(calibration_error(oof, y), 4),
        "ece_one_rate": round(calibration_error(flat, y), 4),
        "brier": round(float(np.mean((oof - y) ** 2)), 4),
        "brier_one_rate": round(float(np.mean((flat - y) ** 2)), 4),
        "right_by_way": {
            route: [round(float(y[idx].mean()), 3), len(idx)]
            for route, idx in sorted(by_route.items())
        },
    }
    log("speaker confidence: cross-validated " + json.dumps(figures))
    spec = {**_rates(keys, y, prior, minimum), "cross_validation": figures}
    path = publish_json_model(
        out_dir, MODEL_FILE, spec, config, "speaker-confidence", "speaker confidence rates"
    )
    log(f"speaker confidence: wrote {path} in {time.time() - started:.0f} s")
    return figures
