"""Fit the speaker confidence (:mod:`unspun.claims.speaker_confidence`):
``unspun train -c configs/speaker-confidence.toml``.

Analyses every article of ``--data`` that the hand-judged speaker labels name (Horne & Adali's
real and fake news, PolNeAR dev, SemEval-2023 dev, test and training articles, the real news
pages), pairs each judged attribution with its claims (:func:`unspun.evaluate.speakers.
judge_speakers`) and keeps, per claim, the way its speaker was read off the source
(:func:`~unspun.claims.speaker_confidence.route_of`), its type, and whether a reader names the same
speaker. The rates, of every set but the ``fresh`` ones, are smoothed toward the way's rate and
that toward the overall rate (``prior`` claims' worth); cells with fewer than ``min_count`` claims
use their parent. Their out-of-fold figures (5-fold cross-validation grouped by article:
calibration error, Brier score, against one overall rate) are recorded. The speaker rules were
written on those sets, so the pipeline is right there more often than on news it never saw: one
shift of the rates' log-odds is fitted on the ``fresh`` sets (judged before any rule was written
on them), and checked by fitting it on one fresh set and scoring the other.
"""

from __future__ import annotations

import csv
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from ..claims.speaker_confidence import MODEL_FILE, rate_of, route_of, shifted
from ..errors import ConfigError
from .fitting import calibration_error, group_folds, publish_json_model, read_config

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "folds": 5,
    "prior": 10.0,
    "min_count": 15,
    "labels": "../benchmarks/labels",
    "pattern": "*speakers*.tsv",
    "fresh": [
        "semeval_train_speakers.tsv",
        "semeval_train_speakers_second.tsv",
        "horne_speakers_fake.tsv",
    ],
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
    return rate_of(model["rates"], model["overall"], model.get("shift", 0.0), key, kind)


def _fit_shift(rates: np.ndarray, right: np.ndarray) -> float:
    """The shift of the rates' log-odds that fits ``right`` best (Newton's method on log-loss):
    how much less often the pipeline is right on news its rules were not written on."""
    logits = np.log(np.clip(rates, 1e-4, 1 - 1e-4) / np.clip(1 - rates, 1e-4, 1))
    shift = 0.0
    for _ in range(50):
        q = 1 / (1 + np.exp(-(logits + shift)))
        step = float(np.sum(q - right)) / (float(np.sum(q * (1 - q))) + 1e-9)
        shift -= step
        if abs(step) < 1e-8:
            break
    return shift


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

    fresh = set(settings["fresh"])
    keys: list[tuple[str, str]] = []
    right: list[float] = []
    groups: list[str] = []
    is_fresh: list[bool] = []
    seen: set[tuple[str, str]] = set()
    by_page: dict[str, dict[str, dict]] = {}

    def claims_of(page: str) -> dict[str, dict]:  # each report's claims by id, indexed once
        if page not in by_page:
            by_page[page] = {c["id"]: c for c in reports[page]["claims"]["claims"]}
        return by_page[page]

    # the fresh sets last: a claim two files judge counts with the set its rules were written on
    for name in sorted(rows, key=lambda n: n in fresh):
        for verdict in judge_speakers(reports, rows[name]):
            if (verdict.page, verdict.claim) in seen:
                continue  # a claim two label files judge counts once
            seen.add((verdict.page, verdict.claim))
            claim = claims_of(verdict.page)[verdict.claim]
            speaker = claim.get("speaker") or {}
            _, key = route_of(
                (claim.get("source") or {}).get("text"), speaker.get("name"), speaker.get("entity")
            )
            keys.append((key, speaker.get("type") or "unknown"))
            right.append(float(verdict.right))
            groups.append(verdict.page)
            is_fresh.append(name in fresh)
    if len(right) < 100:
        raise ConfigError(f"only {len(right)} judged claims found again: cannot fit")
    y, new = np.asarray(right), np.asarray(is_fresh)
    if not new.any() or new.all():
        raise ConfigError("the fresh label sets are missing or are all there is: cannot fit")
    prior, minimum = float(settings["prior"]), int(settings["min_count"])
    # the rates: of the sets the rules were written on, cross-validated by article
    old = [k for k, f in zip(keys, new, strict=True) if not f]
    y_old, pages_old = y[~new], [g for g, f in zip(groups, new, strict=True) if not f]
    folds = group_folds(pages_old, int(settings["folds"]), int(settings["seed"]))
    oof = np.zeros_like(y_old)
    flat = np.zeros_like(y_old)
    for fold in range(int(settings["folds"])):
        train, test = folds != fold, folds == fold
        model = _rates(
            [k for k, t in zip(old, train, strict=True) if t], y_old[train], prior, minimum
        )
        oof[test] = [_confidence(model, k, t) for (k, t), s in zip(old, test, strict=True) if s]
        flat[test] = model["overall"]
    by_route: dict[str, list[int]] = defaultdict(list)
    for i, (key, _) in enumerate(old):
        by_route[key.split(":")[0]].append(i)
    model = _rates(old, y_old, prior, minimum)
    # the shift: fitted on the fresh sets, judged before any rule was written on them; checked by
    # fitting it on one fresh set and scoring the other
    fresh_keys = [k for k, f in zip(keys, new, strict=True) if f]
    fresh_rates = np.asarray([_confidence(model, k, t) for k, t in fresh_keys])
    fresh_y, fresh_sets = y[new], [g for g, f in zip(groups, new, strict=True) if f]
    checks = {}
    for name in sorted(fresh):
        pages = {r["page"] for r in rows.get(name, [])}
        held = np.asarray([g in pages for g in fresh_sets])
        if not held.any() or held.all():
            continue
        shift = _fit_shift(fresh_rates[~held], fresh_y[~held])
        p = np.asarray([shifted(r, shift) for r in fresh_rates[held]])
        checks[name] = {
            "claims": int(held.sum()),
            "right": round(float(fresh_y[held].mean()), 4),
            "mean_confidence_unshifted": round(float(fresh_rates[held].mean()), 4),
            "mean_confidence": round(float(p.mean()), 4),
            "brier_unshifted": round(float(np.mean((fresh_rates[held] - fresh_y[held]) ** 2)), 4),
            "brier": round(float(np.mean((p - fresh_y[held]) ** 2)), 4),
        }
    model["shift"] = round(_fit_shift(fresh_rates, fresh_y), 4)
    figures = {
        "claims": len(y_old),
        "articles": len(set(pages_old)),
        "right": round(float(y_old.mean()), 4),
        "ece": round(calibration_error(oof, y_old), 4),
        "ece_one_rate": round(calibration_error(flat, y_old), 4),
        "brier": round(float(np.mean((oof - y_old) ** 2)), 4),
        "brier_one_rate": round(float(np.mean((flat - y_old) ** 2)), 4),
        "right_by_way": {
            route: [round(float(y_old[idx].mean()), 3), len(idx)]
            for route, idx in sorted(by_route.items())
        },
        "fresh_claims": int(new.sum()),
        "fresh_right": round(float(fresh_y.mean()), 4),
        "shift": model["shift"],
        "fresh_checks": checks,
    }
    log("speaker confidence: cross-validated " + json.dumps(figures))
    spec = {**model, "cross_validation": figures}
    path = publish_json_model(
        out_dir, MODEL_FILE, spec, config, "speaker-confidence", "speaker confidence rates"
    )
    log(f"speaker confidence: wrote {path} in {time.time() - started:.0f} s")
    return figures
