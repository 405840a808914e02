"""Training the multi-task encoder: one fine-tuned MiniLM whose outputs feed every learned head.

Heads (all read one encoder pass over token windows):

* ``token``        per-token BIO for technique spans, SemEval-2020 (PTC) and SemEval-2023 annotations;
* ``span2020``     technique of a span (14 classes) from the mean of its token states (SemEval-2020 TC);
* ``span2023``     technique of a span (23 classes), same pooling;
* ``paragraph``    techniques of a paragraph (23, multi-label; SemEval-2023 subtask 3);
* ``frames``       frames of the article (14, multi-label; subtask 2), from the mean of all token states;
* ``genre``        opinion / reporting / satire (subtask 1), same pooling.

This follows the span-identification + technique-classification pipeline that the strongest
SemEval-2020 Task 11 systems used (Jurkiewicz et al., 2020; Morio et al., 2020), on a small encoder.
The ONNX export carries the encoder and the token head; the pooled heads are small matrices that
inference applies in numpy to the pooled states (see :mod:`unspun.techniques`).
"""

from __future__ import annotations

import json
import math
import random
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..corpora import LabelledArticle, load_technique_corpus, split_ids
from ..taxonomy import FRAMES, GENRES, SEMEVAL2020_TECHNIQUES, SEMEVAL2023_TECHNIQUES

BIO = ("O", "B", "I")
TOKEN_HEADS = ("bio2020", "bio2023")  # each 3 logits, in this order in the token head output


@dataclass
class TrainConfig:
    name: str = "techniques"
    seed: int = 13
    max_len: int = 256
    train_overlap: int = 32
    #: step between inference windows (None: the encoder default, 3/4 of the window); written to the
    #: manifest, so tuning, evaluation and the analyzer all use it
    infer_stride: int | None = None
    epochs: int = 6
    batch_size: int = 16
    lr_encoder: float = 5e-5
    lr_heads: float = 1e-3
    weight_decay: float = 0.01
    warmup_fraction: float = 0.06
    max_train_windows: int | None = None  # tiny configs for tests
    max_articles: int | None = None
    val_ids: list[str] = field(default_factory=list)
    val_fraction: float = 0.15
    val_seed: str = "unspun-techniques-v1"
    loss_weights: dict = field(
        default_factory=lambda: {
            "bio2020": 1.0,
            "bio2023": 1.0,
            "span2020": 0.5,
            "span2023": 0.5,
            "paragraph": 0.5,
            "frames": 0.3,
            "genre": 0.3,
        }
    )
    bio_class_weights: list = field(default_factory=lambda: [1.0, 3.0, 2.0])
    genre_class_weight_power: float = 0.5  # genre loss weights = (inverse class frequency) ** power
    threads: int | None = None

    @classmethod
    def from_toml(cls, path: Path) -> TrainConfig:
        with open(path, "rb") as handle:
            raw = tomllib.load(handle)
        flat = {}
        for key, value in raw.items():
            if key == "base":  # the base-model pin, read by the exporter
                continue
            if isinstance(value, dict) and key not in ("loss_weights",):
                flat.update(value)
            else:
                flat[key] = value
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(flat) - known)
        if unknown:
            from ..errors import ConfigError

            raise ConfigError(f"{path}: unknown setting(s): {', '.join(unknown)}")
        return cls(**flat)


# ---------------------------------------------------------------------------------- examples


def merged_spans(spans: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Union of overlapping spans (span identification ignores the technique)."""
    merged: list[list[int]] = []
    for _, start, end in sorted(spans, key=lambda s: (s[1], s[2])):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def token_range(offsets: np.ndarray, start: int, end: int) -> tuple[int, int] | None:
    """Tokens overlapping ``[start, end)``, as a half-open token index range."""
    inside = np.nonzero((offsets[:, 0] < end) & (offsets[:, 1] > start))[0]
    if inside.size == 0:
        return None
    return int(inside[0]), int(inside[-1]) + 1


def bio_labels(offsets: np.ndarray, spans: list[tuple[int, int]] | None) -> np.ndarray:
    n = len(offsets)
    if spans is None:
        return np.full(n, -100, dtype=np.int64)
    labels = np.zeros(n, dtype=np.int64)
    for start, end in spans:
        rng = token_range(offsets, start, end)
        if rng is None:
            continue
        a, b = rng
        labels[a] = 1
        labels[a + 1 : b] = 2
    return labels


def paragraph_ranges(text: str) -> list[tuple[int, int, int]]:
    from ..document import split_paragraphs

    return [(p.line, p.start, p.end) for p in split_paragraphs(text)]


@dataclass
class ArticleExample:
    id: str
    ids: np.ndarray  # token ids (no special tokens)
    offsets: np.ndarray  # (n, 2) char offsets
    bio2020: np.ndarray
    bio2023: np.ndarray
    spans2020: list[tuple[int, int, int]]  # token start, token end, label
    spans2023: list[tuple[int, int, int]]
    paragraphs: list[tuple[int, int, np.ndarray]]  # token start, end, multi-hot 23
    frames: np.ndarray | None
    genre: int


def tokenize(tokenizer, text: str) -> tuple[np.ndarray, np.ndarray]:
    encoding = tokenizer.encode(text, add_special_tokens=False)
    return np.array(encoding.ids, dtype=np.int64), np.array(
        encoding.offsets, dtype=np.int64
    ).reshape(-1, 2)


def build_example(article: LabelledArticle, tokenizer) -> ArticleExample:
    ids, offsets = tokenize(tokenizer, article.text)
    t20 = {t: i for i, t in enumerate(SEMEVAL2020_TECHNIQUES)}
    t23 = {t: i for i, t in enumerate(SEMEVAL2023_TECHNIQUES)}

    def typed(spans, index):
        out = []
        for technique, start, end in spans or []:
            rng = token_range(offsets, start, end) if technique in index else None
            if rng:
                out.append((rng[0], rng[1], index[technique]))
        return out

    paragraphs = []
    if article.paragraphs2023 is not None:
        for line, start, end in paragraph_ranges(article.text):
            labels = article.paragraphs2023.get(line)
            if labels is None:
                continue
            rng = token_range(offsets, start, end)
            if rng is None:
                continue
            hot = np.zeros(len(SEMEVAL2023_TECHNIQUES), dtype=np.float32)
            for technique in labels:
                if technique in t23:
                    hot[t23[technique]] = 1
            paragraphs.append((rng[0], rng[1], hot))
    frames = None
    if article.frames is not None:
        frames = np.zeros(len(FRAMES), dtype=np.float32)
        for frame in article.frames:
            if frame in FRAMES:
                frames[FRAMES.index(frame)] = 1
    return ArticleExample(
        id=article.id,
        ids=ids,
        offsets=offsets,
        bio2020=bio_labels(
            offsets, merged_spans(article.spans2020) if article.spans2020 is not None else None
        ),
        bio2023=bio_labels(
            offsets, merged_spans(article.spans2023) if article.spans2023 is not None else None
        ),
        spans2020=typed(article.spans2020, t20),
        spans2023=typed(article.spans2023, t23),
        paragraphs=paragraphs,
        frames=frames,
        genre=GENRES.index(article.genre) if article.genre in GENRES else -100,
    )


def window_starts(n_tokens: int, size: int, overlap: int) -> list[int]:
    """Start offsets of windows of ``size`` tokens overlapping by ``overlap`` that cover ``n_tokens``."""
    if n_tokens <= size:
        return [0]
    step = max(1, size - overlap)
    starts = list(range(0, n_tokens - size, step))
    starts.append(n_tokens - size)
    return starts


@dataclass
class Window:
    example: ArticleExample
    start: int
    end: int


def make_windows(examples: list[ArticleExample], content_len: int, overlap: int) -> list[Window]:
    windows = []
    for example in examples:
        for start in window_starts(len(example.ids), content_len, overlap):
            windows.append(Window(example, start, min(start + content_len, len(example.ids))))
    return windows


# ---------------------------------------------------------------------------------- model


def build_model(base_dir: Path):
    from torch import nn
    from transformers import BertModel

    class MultiTaskModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = BertModel.from_pretrained(str(base_dir), add_pooling_layer=False)
            hidden = self.encoder.config.hidden_size
            self.dropout = nn.Dropout(0.1)
            self.token = nn.Linear(hidden, 3 * len(TOKEN_HEADS))
            self.span2020 = nn.Linear(hidden, len(SEMEVAL2020_TECHNIQUES))
            self.span2023 = nn.Linear(hidden, len(SEMEVAL2023_TECHNIQUES))
            self.paragraph = nn.Linear(hidden, len(SEMEVAL2023_TECHNIQUES))
            self.frames = nn.Linear(hidden, len(FRAMES))
            self.genre = nn.Linear(hidden, len(GENRES))

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask
            ).last_hidden_state
            return hidden, self.token(self.dropout(hidden))

    return MultiTaskModel()


def pooled(hidden, ranges):
    """Mean of hidden states over token ranges: ranges = list of (row, a, b)."""
    import torch

    return torch.stack([hidden[row, a:b].mean(dim=0) for row, a, b in ranges])


# ---------------------------------------------------------------------------------- training


def collate(windows: list[Window], cls_id: int, sep_id: int, pad_id: int):
    import torch

    length = max(w.end - w.start for w in windows) + 2
    n = len(windows)
    input_ids = torch.full((n, length), pad_id, dtype=torch.long)
    mask = torch.zeros((n, length), dtype=torch.long)
    bio = torch.full((n, length, len(TOKEN_HEADS)), -100, dtype=torch.long)
    spans20, spans23, paragraphs, articles = [], [], [], []
    for row, w in enumerate(windows):
        ex, a, b = w.example, w.start, w.end
        k = b - a
        input_ids[row, 0] = cls_id
        input_ids[row, 1 : k + 1] = torch.from_numpy(ex.ids[a:b])
        input_ids[row, k + 1] = sep_id
        mask[row, : k + 2] = 1
        bio[row, 1 : k + 1, 0] = torch.from_numpy(ex.bio2020[a:b])
        bio[row, 1 : k + 1, 1] = torch.from_numpy(ex.bio2023[a:b])
        for store, spans in ((spans20, ex.spans2020), (spans23, ex.spans2023)):
            for s, e, label in spans:
                cs, ce = max(s, a), min(e, b)
                if ce > cs:
                    store.append((row, cs - a + 1, ce - a + 1, label))
        for s, e, hot in ex.paragraphs:
            cs, ce = max(s, a), min(e, b)
            if ce > cs:
                paragraphs.append((row, cs - a + 1, ce - a + 1, hot))
        articles.append((row, 1, k + 1, ex.frames, ex.genre))
    return input_ids, mask, bio, spans20, spans23, paragraphs, articles


def compute_loss(model, batch, config: TrainConfig, genre_weights):
    import torch
    import torch.nn.functional as F

    input_ids, mask, bio, spans20, spans23, paragraphs, articles = batch
    hidden, token_logits = model(input_ids, mask)
    weights = config.loss_weights
    losses = {}
    class_weights = torch.tensor(config.bio_class_weights, dtype=torch.float32)
    for h, name in enumerate(TOKEN_HEADS):
        logits = token_logits[..., 3 * h : 3 * h + 3].reshape(-1, 3)
        target = bio[..., h].reshape(-1)
        if (target != -100).any():
            losses[name] = F.cross_entropy(logits, target, weight=class_weights, ignore_index=-100)
    hidden = model.dropout(hidden)
    for name, spans in (("span2020", spans20), ("span2023", spans23)):
        if spans:
            reps = pooled(hidden, [(r, a, b) for r, a, b, _ in spans])
            target = torch.tensor([label for *_, label in spans])
            losses[name] = F.cross_entropy(getattr(model, name)(reps), target)
    if paragraphs:
        reps = pooled(hidden, [(r, a, b) for r, a, b, _ in paragraphs])
        target = torch.from_numpy(np.stack([hot for *_, hot in paragraphs]))
        losses["paragraph"] = F.binary_cross_entropy_with_logits(model.paragraph(reps), target)
    with_frames = [(r, a, b, f) for r, a, b, f, _ in articles if f is not None]
    if with_frames:
        reps = pooled(hidden, [(r, a, b) for r, a, b, _ in with_frames])
        target = torch.from_numpy(np.stack([f for *_, f in with_frames]))
        losses["frames"] = F.binary_cross_entropy_with_logits(model.frames(reps), target)
    with_genre = [(r, a, b, g) for r, a, b, _, g in articles if g >= 0]
    if with_genre:
        reps = pooled(hidden, [(r, a, b) for r, a, b, _ in with_genre])
        target = torch.tensor([g for *_, g in with_genre])
        losses["genre"] = F.cross_entropy(model.genre(reps), target, weight=genre_weights)
    total = sum(weights.get(k, 1.0) * v for k, v in losses.items())
    return total, {k: float(v) for k, v in losses.items()}


def resolve_split(
    config: TrainConfig, articles: dict[str, LabelledArticle]
) -> tuple[list[str], list[str]]:
    ids = sorted(articles)
    if config.max_articles:
        ids = ids[: config.max_articles]
    if config.val_ids:
        val = sorted(set(config.val_ids) & set(ids))
        train = sorted(set(ids) - set(val))
        return train, val
    # whole articles, stratified by genre so the rare genres (satire: 10 articles) reach validation
    by_genre: dict[str, list[str]] = {}
    for i in ids:
        by_genre.setdefault(articles[i].genre or "none", []).append(i)
    val: list[str] = []
    for genre in sorted(by_genre):
        _, held = split_ids(by_genre[genre], config.val_fraction, f"{config.val_seed}:{genre}")
        val.extend(held)
    val = sorted(val)
    return sorted(set(ids) - set(val)), val


def train(
    config: TrainConfig, data_dir: Path, out_dir: Path, log=print, base: dict | None = None
) -> dict:
    """Train from scratch (seeded), tune thresholds on the validation split, export ONNX int8."""
    import torch

    from .export_onnx import base_model_dir

    random.seed(config.seed)
    np.random.seed(config.seed)
    torch.manual_seed(config.seed)
    if config.threads:
        torch.set_num_threads(config.threads)
    out_dir.mkdir(parents=True, exist_ok=True)
    base_dir = base_model_dir(base or {})
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(base_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    cls_id, sep_id, pad_id = (tokenizer.token_to_id(t) for t in ("[CLS]", "[SEP]", "[PAD]"))

    articles = load_technique_corpus(data_dir)
    train_ids, val_ids = resolve_split(config, articles)
    log(f"articles: {len(train_ids)} train, {len(val_ids)} validation")
    (out_dir / "split.json").write_text(
        json.dumps({"train": train_ids, "validation": val_ids}, indent=1)
    )
    train_examples = [build_example(articles[i], tokenizer) for i in train_ids]
    content_len = config.max_len - 2
    windows = make_windows(train_examples, content_len, config.train_overlap)
    if config.max_train_windows:
        windows = windows[: config.max_train_windows]
    log(f"training windows: {len(windows)} of up to {config.max_len} tokens")

    genre_counts = (
        np.bincount([e.genre for e in train_examples if e.genre >= 0], minlength=len(GENRES)) + 1
    )
    genre_weights = torch.tensor(
        (genre_counts.sum() / genre_counts) ** config.genre_class_weight_power, dtype=torch.float32
    )
    genre_weights = genre_weights / genre_weights.mean()

    model = build_model(base_dir)
    encoder_params = list(model.encoder.parameters())
    head_params = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    optimizer = torch.optim.AdamW(
        [
            {"params": encoder_params, "lr": config.lr_encoder},
            {"params": head_params, "lr": config.lr_heads},
        ],
        weight_decay=config.weight_decay,
    )
    steps_per_epoch = math.ceil(len(windows) / config.batch_size)
    total_steps = max(1, steps_per_epoch * config.epochs)
    warmup = max(1, int(total_steps * config.warmup_fraction))

    def schedule(step: int) -> float:  # linear warm-up, then linear decay to zero
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    rng = random.Random(config.seed)
    started = time.time()
    history = []
    model.train()
    for epoch in range(config.epochs):
        order = list(range(len(windows)))
        rng.shuffle(order)
        totals: dict[str, float] = {}
        for step in range(steps_per_epoch):
            batch_windows = [
                windows[i] for i in order[step * config.batch_size : (step + 1) * config.batch_size]
            ]
            if not batch_windows:
                continue
            batch = collate(batch_windows, cls_id, sep_id, pad_id)
            loss, parts = compute_loss(model, batch, config, genre_weights)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            for k, v in parts.items():
                totals[k] = totals.get(k, 0.0) + v
            if step % 20 == 0:
                log(
                    f"epoch {epoch + 1} step {step}/{steps_per_epoch} loss {float(loss):.4f} "
                    f"({time.time() - started:.0f}s)"
                )
        history.append({k: round(v / steps_per_epoch, 4) for k, v in totals.items()})
        log(f"epoch {epoch + 1} mean losses {history[-1]}")
    model.eval()
    torch.save(model.state_dict(), out_dir / "model.pt")
    return {
        "model": model,
        "tokenizer": tokenizer,
        "articles": articles,
        "train_ids": train_ids,
        "val_ids": val_ids,
        "history": history,
        "seconds": time.time() - started,
        "base_dir": base_dir,
    }
