"""Fine-tune the base MiniLM as a check-worthiness classifier (``models/checkworthiness-encoder``):
``unspun train -c configs/checkworthiness-encoder.toml``.

The claims heads' check-worthiness head reads the technique encoder's frozen token states, and the
words model (:mod:`unspun.claims.cw_words`) reads TF-IDF features; this third member is the whole
all-MiniLM-L6-v2 fine-tuned on CheckThat! 2024 English train + dev (mean-pooled token states, not
normalised, then one logistic unit), exported as an int8 ONNX bundle the
:class:`~unspun.encoder.SentenceEmbedder` runs (``normalize = false``) with the unit's weights in its
manifest. It serves `unspun eval/export --task checkthat-cw` only (each sentence encoded alone); the
Report's news scores stay the claims head's, read from the one encoder pass.

``[mix]`` holds the member's weight in the mean with the head-and-words mix and the Yes threshold of
the result, both chosen out of fold by ``python benchmarks/checkworthiness_cv.py --encoder``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from .embedder import read_training_config

CW_DIR = "checkthat2024-task1-checkworthiness-en/CT24_checkworthy_english"

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "epochs": 1.0,
    "batch_size": 32,
    "learning_rate": 4e-5,
    "weight_decay": 0.01,
    "warmup_share": 0.06,
    "max_length": 64,
    "splits": ["train", "dev"],
    "max_sentences": 0,  # 0: all; a seeded sample for tests
    "threads": 0,  # 0: torch's default
}


def load_config(path: Path | str) -> dict[str, Any]:
    config = read_training_config(
        path, ("name", "version", "base", "export", "quantization", "config", "mix"), DEFAULTS
    )
    for key in ("blend", "threshold"):
        if key not in config["mix"]:
            raise ConfigError(f"training config {path}: [mix] lacks {key}")
    return config


def labelled_sentences(
    data_dir: Path, splits, limit: int, seed: int
) -> tuple[list[str], np.ndarray]:
    """Texts and Yes labels of the CheckThat! 2024 ``splits`` (a seeded sample when ``limit``)."""
    from ..corpora.checkthat import read_checkthat_cw

    texts, labels = [], []
    for split in splits:
        path = Path(data_dir) / CW_DIR / f"CT24_checkworthy_english_{split}.tsv"
        if not path.is_file():
            raise ConfigError(
                f"no CheckThat! 2024 {split} sentences at {path}",
                hint="pass --data pointing at the datasets directory",
            )
        for sentence in read_checkthat_cw(path):
            if sentence.label is not None:
                texts.append(sentence.text)
                labels.append(1 if sentence.label == "Yes" else 0)
    if limit and limit < len(texts):
        keep = sorted(random.Random(seed).sample(range(len(texts)), limit))
        texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
    return texts, np.asarray(labels, dtype=np.int64)


def _classifier(base_dir: Path):
    """BertModel + one logistic unit on the mean of the token states (padding masked)."""
    import torch
    from transformers import BertModel

    class Classifier(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = BertModel.from_pretrained(
                str(base_dir), local_files_only=True, attn_implementation="eager"
            )
            self.unit = torch.nn.Linear(self.bert.config.hidden_size, 1)

        def forward(self, ids, mask):
            hidden = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).float()
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            return self.unit(pooled).squeeze(-1)

    return Classifier()


def _encode(base_dir: Path, texts: Sequence[str], max_length: int) -> list[list[int]]:
    """Word-piece ids of each text, ``[CLS] ... [SEP]``, cut at ``max_length``."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(base_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length)
    return [e.ids for e in tokenizer.encode_batch(list(texts))]


def _padded(encoded: list[list[int]], rows: Sequence[int]):
    """Ids and attention mask of ``rows``, padded to the longest."""
    import torch

    width = max(len(encoded[i]) for i in rows)
    ids = torch.zeros(len(rows), width, dtype=torch.long)
    mask = torch.zeros_like(ids)
    for row, i in enumerate(rows):
        ids[row, : len(encoded[i])] = torch.tensor(encoded[i])
        mask[row, : len(encoded[i])] = 1
    return ids, mask


def predict(model, base_dir: Path, texts: Sequence[str], settings: dict) -> np.ndarray:
    """Probability of Yes for each text from a trained torch classifier (length-sorted batches)."""
    import torch

    encoded = _encode(base_dir, texts, int(settings["max_length"]))
    out = np.zeros(len(encoded))
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    with torch.no_grad():
        for start in range(0, len(order), 64):
            rows = order[start : start + 64]
            out[rows] = torch.sigmoid(model(*_padded(encoded, rows))).numpy()
    return out


def fine_tune(base_dir: Path, texts: list[str], labels: np.ndarray, settings: dict, log=print):
    """The trained classifier and its loss history (length-bucketed, shuffled batches)."""
    import torch

    seed = int(settings["seed"])
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if settings["threads"]:
        torch.set_num_threads(int(settings["threads"]))
    encoded = _encode(base_dir, texts, int(settings["max_length"]))
    model = _classifier(base_dir)
    optimiser = torch.optim.AdamW(
        model.parameters(),
        lr=float(settings["learning_rate"]),
        weight_decay=float(settings["weight_decay"]),
    )
    size = int(settings["batch_size"])
    order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
    batches = [order[k : k + size] for k in range(0, len(order), size)]
    steps = max(1, int(float(settings["epochs"]) * len(batches)))
    warmup = max(1, int(float(settings["warmup_share"]) * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda k: min(1.0, (k + 1) / warmup) * max(0.0, 1 - k / steps)
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    rng = random.Random(seed)
    history, step, started = [], 0, time.time()
    model.train()
    while step < steps:
        rng.shuffle(batches)
        total, count = 0.0, 0
        for batch in batches:
            if step >= steps:
                break
            logits = model(*_padded(encoded, batch))
            loss = loss_fn(logits, torch.tensor(labels[batch], dtype=torch.float))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            step += 1
            total, count = total + float(loss.detach()), count + 1
            if step % 100 == 0:
                log(
                    f"step {step}/{steps}: loss {total / count:.4f} ({time.time() - started:.0f} s)"
                )
        history.append(round(total / max(1, count), 4))
    return model.eval(), history


def run_cw_encoder_training(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    """Fine-tune, export the encoder as an int8 bundle with the unit and the mix in its manifest."""
    from .embedder import export_embedder, write_summary
    from .export_onnx import base_model_dir

    config = load_config(config_path)
    settings = config["training"]
    started = time.time()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    base_dir = base_model_dir(config["base"])
    texts, labels = labelled_sentences(
        Path(data_dir), settings["splits"], int(settings["max_sentences"]), int(settings["seed"])
    )
    if len(set(labels.tolist())) < 2:
        raise ConfigError("check-worthiness training needs both Yes and No sentences")
    log(f"fine-tuning on {len(texts)} sentences ({int(labels.sum())} Yes)")
    model, history = fine_tune(base_dir, texts, labels, settings, log=log)
    unit = model.unit
    config["config"] = {
        **config["config"],
        "max_seq_length": int(settings["max_length"]),
        "normalize": False,
        "unit": {
            "weight": [round(float(w), 7) for w in unit.weight.detach().numpy()[0]],
            "bias": round(float(unit.bias.detach().numpy()[0]), 7),
        },
        "blend": float(config["mix"]["blend"]),
        "threshold": float(config["mix"]["threshold"]),
    }
    training = {
        "data": "CheckThat! 2024 task 1 English " + " + ".join(settings["splits"]),
        "sentences": len(texts),
        "yes": int(labels.sum()),
        "settings": settings,
        "history": history,
        "mix": dict(config["mix"]),
    }
    manifest = export_embedder(
        model.bert, base_dir, out_dir / "model", config, {"training": training}, log=log
    )
    return write_summary(
        out_dir,
        manifest,
        training,
        started,
        "copy its files to src/unspun/models/checkworthiness-encoder",
        log,
    )


__all__ = ["fine_tune", "labelled_sentences", "load_config", "predict", "run_cw_encoder_training"]
