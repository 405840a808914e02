"""Training the claims heads (attribution tagging on PolNeAR, check-worthiness on CheckThat! 2024).

Stage two of the multi-task model: the heads read the token states of the shipped technique
encoder (``models/techniques``, frozen: its int8 ONNX graph is run exactly as at inference), so
they add nothing to the encoder pass and cannot move the technique figures. Reproduce with

    unspun train --config configs/claims.toml --data ../shared/data --out runs/claims

Steps: (1) encode every PolNeAR train/dev article and CheckThat! train/dev sentence once and cache
the token states (``out/features``; float16); (2) train the attribution BiLSTM on PolNeAR train
(dev is never trained on; the epoch is chosen on a slice of train); (3) train the check-worthiness
MLP on CheckThat! train minus a held-out slice on which its threshold is chosen; (4) export both to
ONNX, write ``out/model`` (manifest with sha256) and ``out/metrics.json`` with the dev figures.

Why one module of this size: stage-two training of the claims heads (features, BiLSTM tagger,
check-worthiness head, export, threshold tuning) shares the frozen encoder's cached states.
"""

from __future__ import annotations

import json
import random
import time
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np

from ..claims.heads import FEATURES, ROLE_IDS, TAGS, cardinalities, token_features
from ..corpora.checkthat import read_checkthat_cw
from ..corpora.polnear import choose_annotations, read_polnear
from ..errors import ConfigError
from ..evaluate.claims import THRESHOLD_GRID, f1_at, search_threshold

CW_DIR = "checkthat2024-task1-checkworthiness-en/CT24_checkworthy_english"


@dataclass
class ClaimsConfig:
    name: str = "claims"
    seed: int = 13
    encoder: str = "techniques"
    # one attribution tagger per seed, their log-probabilities averaged (empty: just ``seed``)
    attribution_seeds: list = field(default_factory=list)
    # where the check-worthiness threshold is chosen: "dev" (CheckThat! practice: tune on dev, apply
    # to test) or "train" (the slice of train held out of training)
    cw_threshold_split: str = "dev"
    # attribution head
    proj_dim: int = 192
    lstm_hidden: int = 160
    lstm_layers: int = 2
    feature_dim: int = 16
    dropout: float = 0.2
    epochs: int = 12
    batch_docs: int = 8
    lr: float = 2e-3
    chunk: int = 512  # training sequences are cut into chunks of this many word pieces
    val_fraction: float = 0.1  # slice of PolNeAR train for choosing the epoch
    # after the epoch and the decoding offsets are chosen on that slice, train each tagger again on
    # all of PolNeAR train for its chosen number of epochs and ship those (dev is never trained on)
    refit: bool = False
    max_docs: int = 0  # 0 = all (tests use a few)
    # check-worthiness head
    cw_hidden: int = 256
    cw_epochs: int = 20
    cw_lr: float = 1e-3
    cw_batch: int = 64
    cw_val_fraction: float = 0.1
    cw_max_sentences: int = 0
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_toml(cls, path: Path) -> ClaimsConfig:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k not in ("kind", "training")}
        values.update(raw.get("training", {}))
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigError(f"{path}: unknown settings {', '.join(unknown)}")
        return cls(**values)


# -- features ----------------------------------------------------------------------------------


def _vocab(nlp) -> dict[str, list[str]]:
    return {"tag": list(nlp.get_pipe("tagger").labels), "dep": list(nlp.get_pipe("parser").labels)}


def article_inputs(doc, out, vocab) -> np.ndarray:
    """The categorical features of one analysed article (a Document with its encoder outputs),
    computed exactly as :func:`unspun.claims.component.extract_claims` does at run time."""
    from ..claims.quotes import pair_quotes
    from ..claims.rules import rule_claims, rule_spans

    pairs, _ = pair_quotes(doc.text)
    return token_features(
        doc.text, doc.spacy_doc, out.offsets, pairs, rule_spans(rule_claims(doc, pairs, [])), vocab
    )


def gold_tags(text: str, offsets: np.ndarray, attributions) -> np.ndarray:
    """BIO tag ids per word piece from gold attributions (precedence source > cue > content)."""
    length = len(text)
    role_at = np.zeros(length + 1, dtype=np.int8)
    frag_at = np.full(length + 1, -1, dtype=np.int64)
    fragment = 0
    for role in ("content", "cue", "source"):
        for attribution in attributions:
            for start, end in attribution.spans(role):
                start, end = max(0, start), min(length, end)
                role_at[start:end] = ROLE_IDS[role]
                frag_at[start:end] = fragment
                fragment += 1
    tags = np.zeros(len(offsets), dtype=np.int64)
    previous = (0, -1)
    for i, (a, b) in enumerate(offsets.tolist()):
        window = role_at[a : max(a + 1, b)]
        covered = window[window > 0]
        if covered.size == 0:
            previous = (0, -1)
            continue
        role = int(covered.min())
        position = a + int(np.nonzero(window == role)[0][0])
        key = (role, int(frag_at[position]))
        begin = key != previous
        tags[i] = 2 * role - 1 if begin else 2 * role  # B-x = 2r-1, I-x = 2r (see TAGS)
        previous = key
    return tags


def _documents(texts, nlp):
    from ..analyzer import _build_document
    from ..document import Article

    for text, parsed in zip(texts, nlp.pipe(texts, batch_size=16)):
        yield _build_document(Article(text), "en", 1.0, parsed)


def extract_polnear(split_dir: Path, model, nlp, vocab, max_docs: int = 0, log=print) -> list[dict]:
    docs = choose_annotations(read_polnear(split_dir))
    if max_docs:
        docs = docs[:max_docs]
    texts = [d.text for d in docs]
    items = []
    started = time.time()
    for k, (gold, doc) in enumerate(zip(docs, _documents(texts, nlp))):
        out = model.run_each([doc.text])[0]
        items.append(
            {
                "id": gold.id,
                "hidden": out.hidden.astype(np.float16),
                "offsets": out.offsets.astype(np.int64),
                "features": article_inputs(doc, out, vocab).astype(np.int16),
                "tags": gold_tags(doc.text, out.offsets, gold.attributions).astype(np.int8),
            }
        )
        if (k + 1) % 100 == 0:
            log(
                f"  {split_dir.name}: {k + 1}/{len(docs)} articles encoded ({time.time() - started:.0f} s)"
            )
    return items


def sentence_states(model, texts) -> list[np.ndarray]:
    """Token states of each text encoded alone (as `unspun eval --task checkthat-cw` does)."""
    return [out.hidden.astype(np.float16) for out in model.run_each(list(texts))]


def _save(path: Path, items: list[dict]) -> None:
    arrays = {}
    for k, item in enumerate(items):
        for key, value in item.items():
            if isinstance(value, np.ndarray):
                arrays[f"{k}/{key}"] = value
    arrays["ids"] = np.array([item.get("id", str(k)) for k, item in enumerate(items)])
    np.savez(path, **arrays)


def _load(path: Path) -> list[dict]:
    data = np.load(path)
    ids = data["ids"].tolist()
    items = [{"id": i} for i in ids]
    for key in data.files:
        if key == "ids":
            continue
        k, name = key.split("/", 1)
        items[int(k)][name] = data[key]
    return items


def load_or_extract(out_dir: Path, data_dir: Path, config: ClaimsConfig, log=print) -> dict:
    from ..nlp import load_english
    from ..techniques import TechniqueModel

    cache = out_dir / "features"
    cache.mkdir(parents=True, exist_ok=True)
    model = None
    nlp = load_english()
    vocab = _vocab(nlp)
    result: dict = {"vocab": vocab}
    for split in ("train", "dev"):
        path = cache / f"polnear-{split}.npz"
        if not path.exists():
            model = model or TechniqueModel(config.encoder)
            log(f"encoding PolNeAR {split} ...")
            _save(
                path,
                extract_polnear(
                    data_dir / "polnear" / split, model, nlp, vocab, config.max_docs, log=log
                ),
            )
        result[f"polnear-{split}"] = _load(path)
    for split in ("train", "dev"):
        path = cache / f"cw-{split}.npz"
        if not path.exists():
            model = model or TechniqueModel(config.encoder)
            sentences = read_checkthat_cw(
                data_dir / CW_DIR / f"CT24_checkworthy_english_{split}.tsv"
            )
            if config.cw_max_sentences:
                sentences = sentences[: config.cw_max_sentences]
            log(f"encoding CheckThat! {split} ({len(sentences)} sentences) ...")
            states = sentence_states(model, [s.text for s in sentences])
            items = [
                {
                    "id": s.id,
                    "hidden": h,
                    "label": np.array([1 if s.label == "Yes" else 0], dtype=np.int8),
                }
                for s, h in zip(sentences, states)
            ]
            _save(path, items)
        result[f"cw-{split}"] = _load(path)
    # the token states' identity (weights, tokenizer, windows), not the manifest's: a retuned
    # technique threshold does not orphan the claims heads
    result["encoder_id"] = (model or TechniqueModel(config.encoder)).states_id
    return result


def _set_seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)


# -- the heads (torch; training only) -------------------------------------------------------------


def build_attribution_head(config: ClaimsConfig, cards: list[int], d_in: int = 384):
    import torch
    from torch import nn

    class AttributionHead(nn.Module):
        def __init__(self):
            super().__init__()
            self.proj = nn.Linear(d_in, config.proj_dim)
            self.embeddings = nn.ModuleList(nn.Embedding(c, config.feature_dim) for c in cards)
            self.dropout = nn.Dropout(config.dropout)
            width = config.proj_dim + config.feature_dim * len(cards)
            self.lstm = nn.LSTM(
                width,
                config.lstm_hidden,
                num_layers=config.lstm_layers,
                bidirectional=True,
                batch_first=True,
                dropout=config.dropout if config.lstm_layers > 1 else 0.0,
            )
            self.out = nn.Linear(2 * config.lstm_hidden, len(TAGS))

        def forward(self, hidden, features):
            parts = [torch.relu(self.proj(hidden))]
            parts.extend(emb(features[..., i]) for i, emb in enumerate(self.embeddings))
            states, _ = self.lstm(self.dropout(torch.cat(parts, dim=-1)))
            return self.out(self.dropout(states))

    return AttributionHead()


def build_checkworthiness_head(config: ClaimsConfig, d_in: int = 384):
    import torch
    from torch import nn

    class CheckWorthinessHead(nn.Module):
        """Mean, max and attention pooling of a sentence's token states, then an MLP -> one logit."""

        def __init__(self):
            super().__init__()
            self.attention = nn.Linear(d_in, 1)
            self.mlp = nn.Sequential(
                nn.Dropout(config.dropout),
                nn.Linear(3 * d_in, config.cw_hidden),
                nn.GELU(),
                nn.Dropout(config.dropout),
                nn.Linear(config.cw_hidden, 1),
            )

        def forward(self, hidden, mask=None):
            if mask is None:
                mask = torch.ones(hidden.shape[:2], dtype=hidden.dtype)
            m = mask.unsqueeze(-1)
            mean = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
            maxed = (hidden - (1 - m) * 1e4).max(dim=1).values
            weights = self.attention(hidden).squeeze(-1) - (1 - mask) * 1e4
            attended = (torch.softmax(weights, dim=1).unsqueeze(-1) * hidden).sum(1)
            return self.mlp(torch.cat([mean, maxed, attended], dim=-1)).squeeze(-1)

    return CheckWorthinessHead()


def _chunks(items: list[dict], size: int, rng: random.Random) -> list[tuple[int, int, int]]:
    out = []
    for k, item in enumerate(items):
        n = len(item["tags"])
        offset = rng.randrange(size) if n > size else 0
        starts = [0] + list(range(offset, n, size)) if offset else list(range(0, n, size))
        starts = sorted({s for s in starts if s < n})
        for a, b in zip(starts, starts[1:] + [n]):
            out.append((k, a, b))
    return out


def _batch(items, chunks):
    import torch

    width = max(b - a for _, a, b in chunks)
    d = items[0]["hidden"].shape[1]
    hidden = torch.zeros(len(chunks), width, d)
    feats = torch.zeros(len(chunks), width, len(FEATURES), dtype=torch.long)
    tags = torch.full((len(chunks), width), -100, dtype=torch.long)
    for row, (k, a, b) in enumerate(chunks):
        item = items[k]
        hidden[row, : b - a] = torch.from_numpy(item["hidden"][a:b].astype(np.float32))
        feats[row, : b - a] = torch.from_numpy(item["features"][a:b].astype(np.int64))
        tags[row, : b - a] = torch.from_numpy(item["tags"][a:b].astype(np.int64))
    return hidden, feats, tags


def predict_tags(head, items: list[dict]) -> list[np.ndarray]:
    import torch

    from ..claims.heads import _log_softmax, viterbi_bio

    head.eval()
    results = []
    with torch.no_grad():
        for item in items:
            logits = head(
                torch.from_numpy(item["hidden"].astype(np.float32))[None],
                torch.from_numpy(item["features"].astype(np.int64))[None],
            )[0].numpy()
            results.append(viterbi_bio(_log_softmax(logits.astype(np.float64))))
    return results


def span_attributions(spans):
    """One Attribution per predicted role span (token scores need no linking)."""
    from ..corpora.polnear import Attribution

    found = []
    for role, start, end in spans:
        fragment = ((start, end),)
        found.append(
            Attribution(
                source=fragment if role == "source" else None,
                cue=fragment if role == "cue" else (),
                content=fragment if role == "content" else (),
            )
        )
    return found


def score_tags(items: list[dict], predicted: list[np.ndarray], gold_docs) -> dict:
    import copy

    from ..claims.heads import decode_tags
    from ..evaluate.claims import polnear_scores

    by_id = {d.id: d for d in gold_docs}
    preds, golds = [], []
    for item, tags in zip(items, predicted):
        gold = by_id[item["id"]]
        doc = copy.copy(gold)
        doc.attributions = span_attributions(decode_tags(tags, item["offsets"], gold.text))
        preds.append(doc)
        golds.append(gold)
    scores = polnear_scores(preds, golds)
    return {
        "token": {r: round(scores.token[r].f1, 4) for r in scores.token},
        "token_precision": {r: round(scores.token[r].precision, 4) for r in scores.token},
        "token_recall": {r: round(scores.token[r].recall, 4) for r in scores.token},
        "exact": {r: round(scores.exact[r].f1, 4) for r in scores.exact},
    }


def train_attribution(
    config: ClaimsConfig, train_items, val_items, val_gold, cards, log=print, epochs: int = 0
):
    """One attribution tagger. With ``val_items`` the best epoch on them is kept; without them
    (the refit on all of train) it trains exactly ``epochs`` epochs and keeps the last."""
    import torch

    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    head = build_attribution_head(config, cards)
    optimizer = torch.optim.AdamW(head.parameters(), lr=config.lr, weight_decay=0.01)
    weights = torch.tensor([1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0])
    best = (-1.0, None, 0)
    history = []
    for epoch in range(epochs or config.epochs):
        head.train()
        chunks = _chunks(train_items, config.chunk, rng)
        rng.shuffle(chunks)
        started, total = time.time(), 0.0
        for i in range(0, len(chunks), config.batch_docs):
            hidden, feats, tags = _batch(train_items, chunks[i : i + config.batch_docs])
            logits = head(hidden, feats)
            loss = torch.nn.functional.cross_entropy(
                logits.reshape(-1, len(TAGS)), tags.reshape(-1), weight=weights, ignore_index=-100
            )
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(head.parameters(), 1.0)
            optimizer.step()
            total += loss.item()
        for group in optimizer.param_groups:
            group["lr"] *= 0.85
        if not val_items:
            history.append({"epoch": epoch + 1, "loss": round(total, 2)})
            log(
                f"  attribution epoch {epoch + 1}: loss {total:.1f} ({time.time() - started:.0f} s)"
            )
            best = (0.0, None, epoch + 1)
            continue
        scores = score_tags(val_items, predict_tags(head, val_items), val_gold)
        mean_f1 = float(np.mean([scores["token"][r] for r in ("source", "cue", "content")]))
        history.append({"epoch": epoch + 1, "loss": round(total, 2), "val": scores["token"]})
        log(
            f"  attribution epoch {epoch + 1}: loss {total:.1f}, val token F1 {scores['token']} "
            f"({time.time() - started:.0f} s)"
        )
        if mean_f1 > best[0]:
            best = (
                mean_f1,
                {k: v.detach().clone() for k, v in head.state_dict().items()},
                epoch + 1,
            )
    if best[1] is not None:
        head.load_state_dict(best[1])
    return head, {"best_epoch": best[2], "history": history}


def _pad_sentences(states: list[np.ndarray]):
    import torch

    width = max(1, max(len(s) for s in states))
    hidden = torch.zeros(len(states), width, states[0].shape[1])
    mask = torch.zeros(len(states), width)
    for i, s in enumerate(states):
        hidden[i, : len(s)] = torch.from_numpy(s.astype(np.float32))
        mask[i, : len(s)] = 1.0
    return hidden, mask


def cw_scores(head, items: list[dict], batch: int = 256) -> np.ndarray:
    import torch

    head.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(items), batch):
            hidden, mask = _pad_sentences([it["hidden"] for it in items[i : i + batch]])
            out.append(torch.sigmoid(head(hidden, mask)).numpy())
    return np.concatenate(out) if out else np.zeros(0)


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """``(threshold, f1)``: the hundredth from 0.05 to 0.95 with the best Yes-F1, ties to the lowest
    (the grid search of :func:`unspun.evaluate.claims.search_threshold`), rounded to 2 decimals."""
    threshold, f1 = search_threshold(scores, labels, grid=THRESHOLD_GRID)
    return round(threshold, 2), f1


def train_checkworthiness(config: ClaimsConfig, train_items, val_items, log=print):
    import torch

    torch.manual_seed(config.seed)
    rng = random.Random(config.seed + 1)
    head = build_checkworthiness_head(config)
    optimizer = torch.optim.AdamW(head.parameters(), lr=config.cw_lr, weight_decay=0.01)
    labels = np.array([int(it["label"][0]) for it in train_items])
    val_labels = np.array([int(it["label"][0]) for it in val_items])
    positive_weight = torch.tensor(float((labels == 0).sum()) / max(1, int((labels == 1).sum())))
    order = sorted(range(len(train_items)), key=lambda k: len(train_items[k]["hidden"]))
    batches = [order[i : i + config.cw_batch] for i in range(0, len(order), config.cw_batch)]
    best = (-1.0, None, 0, 0.5)
    history = []
    for epoch in range(config.cw_epochs):
        head.train()
        rng.shuffle(batches)
        total = 0.0
        for batch in batches:
            hidden, mask = _pad_sentences([train_items[k]["hidden"] for k in batch])
            target = torch.tensor(labels[batch], dtype=torch.float32)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                head(hidden, mask), target, pos_weight=positive_weight.sqrt()
            )
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        threshold, f1 = best_threshold(cw_scores(head, val_items), val_labels)
        history.append(
            {
                "epoch": epoch + 1,
                "loss": round(total, 2),
                "val_f1": round(f1, 4),
                "threshold": threshold,
            }
        )
        log(
            f"  check-worthiness epoch {epoch + 1}: loss {total:.1f}, held-out F1 {f1:.4f} at {threshold}"
        )
        if f1 > best[0]:
            best = (
                f1,
                {k: v.detach().clone() for k, v in head.state_dict().items()},
                epoch + 1,
                threshold,
            )
    head.load_state_dict(best[1])
    return head, {
        "best_epoch": best[2],
        "threshold": best[3],
        "held_out_f1": round(best[0], 4),
        "history": history,
    }


# -- export and the whole run ----------------------------------------------------------------------


def attribution_file(index: int, seed: int) -> str:
    return "attribution.onnx" if index == 0 else f"attribution.s{seed}.onnx"


def export_attribution(attribution, path: Path, n_features: int, d_in: int = 384) -> None:
    """An attribution tagger as int8 ONNX (dynamic quantisation of the LSTM and MatMul weights, per
    channel): half the time of fp32 at the same dev F1 (0.841 / 0.707 / 0.905 both, measured)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    attribution.eval()
    fp32 = path.with_suffix(".fp32.onnx")
    with torch.no_grad():
        torch.onnx.export(
            attribution,
            (torch.zeros(1, 7, d_in), torch.zeros(1, 7, n_features, dtype=torch.long)),
            str(fp32),
            input_names=["hidden", "features"],
            output_names=["logits"],
            dynamic_axes={
                "hidden": {0: "batch", 1: "sequence"},
                "features": {0: "batch", 1: "sequence"},
                "logits": {0: "batch", 1: "sequence"},
            },
            opset_version=17,
            do_constant_folding=True,
            dynamo=False,
            external_data=False,
        )
    quantize_dynamic(
        str(fp32),
        str(path),
        per_channel=True,
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["LSTM", "MatMul"],
    )
    fp32.unlink()


def export_checkworthiness(checkworthiness, path: Path, d_in: int = 384) -> None:
    """The check-worthiness head as fp32 ONNX over a padded batch of sentences: inputs ``hidden``
    ``(batch, sequence, d_in)`` and ``mask`` ``(batch, sequence)`` (1 for a real token), output one
    logit per sentence. An article's sentences then go through it in a few runs instead of one each."""
    import torch

    checkworthiness.eval()
    with torch.no_grad():
        torch.onnx.export(
            checkworthiness,
            (torch.zeros(2, 7, d_in), torch.ones(2, 7)),
            str(path),
            input_names=["hidden", "mask"],
            output_names=["logit"],
            dynamic_axes={
                "hidden": {0: "batch", 1: "sequence"},
                "mask": {0: "batch", 1: "sequence"},
                "logit": {0: "batch"},
            },
            opset_version=17,
            do_constant_folding=True,
            dynamo=False,
            external_data=False,
        )


def export_heads(
    attribution, checkworthiness, model_dir: Path, n_features: int, d_in: int = 384
) -> None:
    """The first attribution tagger (int8, :func:`export_attribution`) and the check-worthiness head
    (fp32, :func:`export_checkworthiness`: it is small and runs over whole sentences)."""
    model_dir.mkdir(parents=True, exist_ok=True)
    export_attribution(attribution, model_dir / "attribution.onnx", n_features, d_in)
    export_checkworthiness(checkworthiness, model_dir / "checkworthiness.onnx", d_in)


def split_items(items: list, fraction: float, seed: int) -> tuple[list, list]:
    rng = random.Random(seed)
    order = list(range(len(items)))
    rng.shuffle(order)
    cut = max(1, round(len(items) * fraction)) if fraction > 0 else 0
    held = set(order[:cut])
    return [it for k, it in enumerate(items) if k not in held], [
        it for k, it in enumerate(items) if k in held
    ]


BIAS_GRID = (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5)


def onnx_logits(model_dir: Path, items: list[dict], files: list[str]) -> list[np.ndarray]:
    """The exported attribution taggers' mean log-probabilities for each item, computed exactly as at
    run time (:func:`unspun.claims.heads.tagger_log_probs`, chunks of ``DEFAULT_CHUNK``)."""
    from ..claims.heads import DEFAULT_CHUNK, tagger_log_probs, tagger_sessions

    sessions, pool = tagger_sessions(model_dir, files)
    try:
        return [
            tagger_log_probs(
                sessions,
                it["hidden"].astype(np.float32),
                it["features"].astype(np.int64),
                DEFAULT_CHUNK,
                pool=pool,
            )
            for it in items
        ]
    finally:
        if pool is not None:
            pool.shutdown()


def onnx_cw_scores(model_dir: Path, items: list[dict]) -> np.ndarray:
    """Check-worthiness of each item through the exported head, as at run time."""
    from ..claims.heads import ClaimHeads

    return ClaimHeads.checkworthiness_with(_cw_session(model_dir), [it["hidden"] for it in items])


def _cw_session(model_dir: Path):
    import onnxruntime as ort

    from ..modelstore import session_options

    return ort.InferenceSession(
        str(model_dir / "checkworthiness.onnx"),
        session_options(),
        providers=["CPUExecutionProvider"],
    )


def tags_with_bias(logits: list[np.ndarray], bias: np.ndarray) -> list[np.ndarray]:
    from ..claims.heads import _log_softmax, viterbi_bio

    return [viterbi_bio(_log_softmax(lg.astype(np.float64) + bias)) for lg in logits]


def tune_tag_bias(logits, items, gold_docs, log=print) -> tuple[list[float], dict]:
    """Per-role offsets added to the B and I logits before decoding (coordinate ascent over
    :data:`BIAS_GRID`, two rounds), maximising the mean token F1 of source, cue and content on
    ``items`` (a slice of PolNeAR *train* held out of training; dev is never used)."""
    role_tags = {"source": (1, 2), "cue": (3, 4), "content": (5, 6)}
    values = {role: 0.0 for role in role_tags}

    def vector(v):
        bias = np.zeros(len(TAGS))
        for role, (b, i) in role_tags.items():
            bias[b] = bias[i] = v[role]
        return bias

    def objective(v):
        scores = score_tags(items, tags_with_bias(logits, vector(v)), gold_docs)
        return float(np.mean([scores["token"][r] for r in role_tags])), scores

    best, best_scores = objective(values)
    for _ in range(2):
        for role in role_tags:
            for value in BIAS_GRID:
                if value == values[role]:
                    continue
                trial = {**values, role: value}
                score, scores = objective(trial)
                if score > best + 1e-6:
                    best, best_scores, values = score, scores, trial
    log(f"  tag bias {values}: held-out token F1 {best_scores['token']}")
    return [round(float(x), 4) for x in vector(values)], best_scores


def _train_and_export(config, data, gold, cards, train_items, val_items, model_dir, log) -> dict:
    import dataclasses

    val_gold = [gold["train"][it["id"]] for it in val_items]
    seeds = list(config.attribution_seeds) or [config.seed]
    per_seed = []
    for index, seed in enumerate(seeds):
        log(f"attribution tagger {index + 1}/{len(seeds)} (seed {seed})")
        attribution, info = train_attribution(
            dataclasses.replace(config, seed=seed), train_items, val_items, val_gold, cards, log=log
        )
        if index == 0:
            first = attribution
        else:
            model_dir.mkdir(parents=True, exist_ok=True)
            export_attribution(
                attribution, model_dir / attribution_file(index, seed), len(FEATURES)
            )
        per_seed.append({"seed": seed, "file": attribution_file(index, seed), **info})
    cw_train, cw_val = split_items(data["cw-train"], config.cw_val_fraction, config.seed)
    log(f"check-worthiness: {len(cw_train)} train sentences, {len(cw_val)} held out (epoch)")
    checkworthiness, cw_info = train_checkworthiness(config, cw_train, cw_val, log=log)
    export_heads(first, checkworthiness, model_dir, len(FEATURES))
    return {
        "attribution": per_seed,
        "checkworthiness": cw_info,
        "cw_train_sentences": len(cw_train),
    }


def refit_taggers(config, data, cards, items, info, model_dir: Path, slice_dir: Path, log) -> dict:
    """Train each attribution tagger again on ``items`` (all of PolNeAR train) for the epochs chosen
    on the held-out slice, exporting over the slice-trained ones, which move to ``slice_dir``."""
    import dataclasses
    import shutil

    slice_dir.mkdir(parents=True, exist_ok=True)
    epochs = []
    for entry in info["attribution"]:
        shutil.copy2(model_dir / entry["file"], slice_dir / entry["file"])
        log(
            f"attribution tagger seed {entry['seed']}: refit on {len(items)} articles, {entry['best_epoch']} epochs"
        )
        head, _ = train_attribution(
            dataclasses.replace(config, seed=entry["seed"]),
            items,
            [],
            [],
            cards,
            log=log,
            epochs=entry["best_epoch"],
        )
        export_attribution(head, model_dir / entry["file"], len(FEATURES))
        epochs.append(entry["best_epoch"])
    return {"articles": len(items), "epochs": epochs}


def run_claims_training(
    config_path: Path, data_dir: Path, out_dir: Path, log=print, tune_only: bool = False
) -> dict:
    """Train both heads, export them, then tune decoding on held-out train slices and measure dev.
    ``tune_only`` reuses the run's exported heads and redoes the steps after export."""
    from ..claims.heads import CHUNK_OVERLAP, DEFAULT_CHUNK
    from ..modelstore import write_manifest

    config = ClaimsConfig.from_toml(config_path)
    _set_seed(config.seed)
    started = time.time()
    out_dir.mkdir(parents=True, exist_ok=True)
    data = load_or_extract(out_dir, data_dir, config, log=log)
    vocab = data["vocab"]
    cards = cardinalities(vocab)
    gold = {
        split: {d.id: d for d in choose_annotations(read_polnear(data_dir / "polnear" / split))}
        for split in ("train", "dev")
    }
    train_items, val_items = split_items(data["polnear-train"], config.val_fraction, config.seed)
    log(
        f"attribution: {len(train_items)} train articles, {len(val_items)} held out of train (epoch, decoding), "
        f"{len(data['polnear-dev'])} dev articles never trained on"
    )
    model_dir = out_dir / "model"
    info_path = out_dir / "training.json"
    if tune_only:
        info = json.loads(info_path.read_text())
    else:
        import torch

        torch.manual_seed(config.seed)
        info = _train_and_export(config, data, gold, cards, train_items, val_items, model_dir, log)
        info_path.write_text(json.dumps(info, indent=2) + "\n")

    # decoding: per-role logit offsets, chosen on the held-out slice of train by the taggers that
    # were not trained on it (with ``refit`` those are kept in out_dir/slice)
    files = [entry["file"] for entry in info["attribution"]]
    slice_dir = out_dir / "slice" if info.get("refit") else model_dir
    val_gold = [gold["train"][it["id"]] for it in val_items]
    for k, name in enumerate(files):
        alone = score_tags(
            val_items,
            tags_with_bias(onnx_logits(slice_dir, val_items, [name]), np.zeros(len(TAGS))),
            val_gold,
        )
        info["attribution"][k]["held_out_token_f1"] = alone["token"]
    bias, val_scores = tune_tag_bias(
        onnx_logits(slice_dir, val_items, files), val_items, val_gold, log=log
    )
    if config.refit and not info.get("refit"):
        info["refit"] = refit_taggers(
            config, data, cards, train_items + val_items, info, model_dir, out_dir / "slice", log
        )
        info_path.write_text(json.dumps(info, indent=2) + "\n")
    dev_tags = tags_with_bias(onnx_logits(model_dir, data["polnear-dev"], files), np.array(bias))
    dev_scores = score_tags(data["polnear-dev"], dev_tags, list(gold["dev"].values()))
    log(f"attribution dev token F1 (role spans, before linking): {dev_scores['token']}")

    # check-worthiness threshold (see ClaimsConfig.cw_threshold_split); figures for both splits
    _, cw_val = split_items(data["cw-train"], config.cw_val_fraction, config.seed)
    val_labels = np.array([int(it["label"][0]) for it in cw_val])
    val_cw = onnx_cw_scores(model_dir, cw_val)
    dev_labels = np.array([int(it["label"][0]) for it in data["cw-dev"]])
    dev_cw = onnx_cw_scores(model_dir, data["cw-dev"])
    train_threshold, val_f1 = best_threshold(val_cw, val_labels)
    dev_threshold, dev_best = best_threshold(dev_cw, dev_labels)
    if config.cw_threshold_split not in ("dev", "train"):
        raise ConfigError(
            f"cw_threshold_split must be 'dev' or 'train', got {config.cw_threshold_split!r}"
        )
    threshold = dev_threshold if config.cw_threshold_split == "dev" else train_threshold
    cw_dev = {
        "f1": round(f1_at(dev_cw, dev_labels, threshold), 4),
        "threshold": threshold,
        "threshold_chosen_on": config.cw_threshold_split,
        "accuracy": round(float(((dev_cw >= threshold) == (dev_labels == 1)).mean()), 4),
        "f1_at_train_slice_threshold": round(f1_at(dev_cw, dev_labels, train_threshold), 4),
        "train_slice_threshold": train_threshold,
    }
    cw_val_metrics = {
        "f1": round(f1_at(val_cw, val_labels, threshold), 4),
        "best_f1": round(val_f1, 4),
        "best_threshold": train_threshold,
    }
    log(
        f"check-worthiness: threshold {threshold} (chosen on {config.cw_threshold_split}); dev F1 {cw_dev['f1']}; "
        f"train slice F1 {cw_val_metrics['f1']} (best {val_f1:.4f} at {train_threshold})"
    )
    del dev_best

    metrics = {
        "polnear_dev_role_spans": dev_scores,
        "polnear_train_held_out": val_scores["token"],
        "checkthat_cw_dev": cw_dev,
        "checkthat_cw_train_held_out": cw_val_metrics,
    }
    write_manifest(
        model_dir,
        [*files, "checkworthiness.onnx"],
        name="claims",
        version="1.0.0",
        description="Claims heads of the multi-task model: attribution tagging (source/cue/content BIO, "
        "BiLSTM over the technique encoder's token states + parse features; int8 ONNX) and "
        "check-worthiness (pooled token states + MLP; fp32 ONNX)",
        config={
            "encoder": data["encoder_id"],
            "tags": list(TAGS),
            "features": list(FEATURES),
            "vocab": vocab,
            "attribution_files": files,
            "tag_bias": bias,
            "tag_chunk": DEFAULT_CHUNK,
            "tag_overlap": CHUNK_OVERLAP,
            "thresholds": {"checkworthiness": threshold},
        },
        training={
            "seed": config.seed,
            "attribution_seeds": [e["seed"] for e in info["attribution"]],
            "attribution_epochs": [e["best_epoch"] for e in info["attribution"]],
            "cw_epochs": info["checkworthiness"]["best_epoch"],
            "polnear_train_articles": len(train_items)
            + (len(val_items) if info.get("refit") else 0),
            "cw_train_sentences": info["cw_train_sentences"],
        },
        validation=metrics,
    )
    summary = {"metrics": metrics, "training": info, "seconds": round(time.time() - started)}
    (out_dir / "metrics.json").write_text(json.dumps(summary, indent=2) + "\n")
    log(f"done in {summary['seconds']} s; model in {model_dir}")
    return summary


__all__ = [
    "ClaimsConfig",
    "article_inputs",
    "extract_polnear",
    "gold_tags",
    "load_or_extract",
    "run_claims_training",
    "train_attribution",
    "train_checkworthiness",
]
