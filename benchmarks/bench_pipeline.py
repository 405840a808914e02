"""Throughput and peak memory of the unspun pipeline, side by side with its floor cost (spaCy alone).

Usage::

    python benchmarks/bench_pipeline.py [DIR] [--rounds 5] [--batch-size 16]

DIR defaults to ``$UNSPUN_DATA/semeval2020-task11-ptc/dev-articles`` (UNSPUN_DATA defaults to
``../shared/data``). Both paths run in this one process, interleaved round by round after a warm-up,
so the ratio is measured under the same machine load:

* spaCy:    the same spaCy pipeline the Analyzer uses, ``nlp.pipe`` over the pre-read texts;
* encoder:  when the learned components run, the int8 ONNX encoder alone over the same texts
            (``OnnxModel.encode_tokens``: tokenising, windowing, one session run per batch);
* techniques: the encoder plus the technique heads and their decoders (technique spans in both
            taxonomies, paragraph techniques, frames, genre);
* heads:    the same plus the claims heads: the attribution taggers with their parse features and
            BIO decoding, and check-worthiness of every sentence (over documents parsed, and rule
            spans found, before timing), i.e. the learned part of the pipeline;
* unspun:   reading the directory (ingest), language id, parsing, the chosen components
            (``--components``, default: all), and serialising each Report to JSON; the encoder
            runs in a thread while spaCy parses each batch (``unspun.ahead``);
* unspun one step at a time: the same with ``Analyzer.encode_ahead = False`` (parse, then encode);
* spaCy | encoder: spaCy over the texts while the encoder runs over them in a thread, the floor of
            a pipeline that overlaps the two;
* baseline encoder: with ``--baseline-graph FILE``, another ONNX graph of the technique encoder (an
            earlier commit's, say: ``git show REV:src/unspun/models/techniques/model.onnx > FILE``)
            run exactly as the encoder alone, with the shipped tokenizer and windows, so that a graph
            change is timed side by side with the graph it replaces.

The floor of the full pipeline is spaCy + encoder (each alone, one after the other): the ratio
printed is floor time / unspun time. Because unspun overlaps the two, the ratios against the
one-step-at-a-time pipeline's floor and against the overlapped floor (spaCy | encoder) are printed
too: the second is what the rest of the pipeline costs beyond the two.

Peak RSS is measured for each path in a fresh subprocess (``ru_maxrss``), models included.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path


def default_dir() -> Path:
    data = Path(
        os.environ.get(
            "UNSPUN_DATA", Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
        )
    )
    return data / "semeval2020-task11-ptc" / "dev-articles"


def run_floor(nlp, texts, batch_size) -> int:
    tokens = 0
    for doc in nlp.pipe(texts, batch_size=max(8, batch_size)):
        tokens += sum(1 for t in doc if not t.is_space)
    return tokens


def run_encoder(model, texts, graph=None) -> int:
    """The encoder alone (``graph``: another ``OnnxModel`` of it, run with the model's windows)."""
    onnx_model = graph if graph is not None else model.onnx
    return sum(len(out.ids) for out in onnx_model.encode_tokens(texts, stride=model.stride))


def baseline_encoder(model, graph: Path):
    """The technique encoder with another ONNX graph: the shipped model's files in a temporary
    directory with ``graph`` in place of its ``model.onnx`` (the manifest re-hashed to match)."""
    import json
    import shutil
    import tempfile

    from unspun.encoder import OnnxModel
    from unspun.modelstore import sha256_file

    directory = Path(tempfile.mkdtemp(prefix="unspun-baseline-"))
    for path in model.onnx.dir.iterdir():
        if path.is_file() and path.name != "model.onnx":
            shutil.copy(path, directory / path.name)
    shutil.copy(graph, directory / "model.onnx")
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["model.onnx"] = sha256_file(directory / "model.onnx")
    (directory / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    try:
        return OnnxModel(directory, threads=model.onnx.threads)  # loaded: the files can go
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def run_overlapped(nlp, model, texts, batch_size) -> int:
    """spaCy in this thread while the encoder runs in another (as the Analyzer does)."""
    import threading

    encoder = threading.Thread(target=run_encoder, args=(model, texts))
    encoder.start()
    tokens = run_floor(nlp, texts, batch_size)
    encoder.join()
    return tokens


def claim_inputs(docs) -> list:
    """What the claims heads take besides the token states, prepared outside the timed paths: the
    quotation-mark pairs and the rule-based spans (the rules are the claims component's own
    non-learned work, timed in the full pipeline), and each sentence's offsets."""
    from unspun.claims.quotes import pair_quotes
    from unspun.claims.rules import rule_claims, rule_spans

    prepared = []
    for doc in docs:
        pairs, _ = pair_quotes(doc.text)
        prepared.append(
            (
                doc,
                pairs,
                rule_spans(rule_claims(doc, pairs, [])),
                [(s.start, s.end) for s in doc.sentences],
            )
        )
    return prepared


def run_heads(model, texts, claims=None, claim_heads=None) -> int:
    """The encoder and every learned head with its decoding: technique spans in both taxonomies,
    paragraph techniques, frames, genre; with ``claims``: the attribution taggers' parse features,
    the taggers, BIO decoding, and check-worthiness of every sentence."""
    from unspun.claims.heads import decode_tags, token_features
    from unspun.document import split_paragraphs

    tokens = 0
    for k, (text, out) in enumerate(zip(texts, model.run_each(texts))):
        for taxonomy in ("semeval2023", "semeval2020"):
            model.technique_spans(out, taxonomy)
        model.paragraph_scores(out, [(p.start, p.end) for p in split_paragraphs(text)])
        model.article_scores(out)
        if claims is not None:
            doc, pairs, spans, sentences = claims[k]
            features = token_features(
                text, doc.spacy_doc, out.offsets, pairs, spans, claim_heads.vocab
            )
            decode_tags(claim_heads.tag(out.hidden, features), out.offsets)
            ranges = [out.token_range(a, b) for a, b in sentences]
            claim_heads.checkworthiness([out.hidden[r[0] : r[1]] for r in ranges if r])
        tokens += len(out.offsets)
    return tokens


def run_unspun(analyzer, directory, batch_size) -> int:
    from unspun.analyzer import Failure
    from unspun.ingest import read_inputs

    tokens = 0
    for report in analyzer.analyze_batch(read_inputs([str(directory)], glob="*.txt")):
        if isinstance(report, Failure):
            raise SystemExit(f"benchmark input failed: {report.item}: {report.reason}")
        report.model_dump_json()
        tokens += report.article.tokens
    return tokens


def peak_rss_mb(mode: str, directory: Path, batch_size: int, components: str | None) -> float:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            str(directory),
            "--memory-probe",
            mode,
            "--batch-size",
            str(batch_size),
            *(["--components", components] if components else []),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, default=default_dir())
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--components", help="comma-separated components (default: all)")
    parser.add_argument(
        "--baseline-graph",
        type=Path,
        help="an ONNX graph of the technique encoder to time beside the shipped one",
    )
    parser.add_argument("--memory-probe", choices=["floor", "unspun"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.directory.is_dir():
        raise SystemExit(
            f"bench_pipeline: no such directory: {args.directory} (set UNSPUN_DATA or pass DIR)"
        )

    from unspun.analyzer import Analyzer
    from unspun.nlp import load_english

    files = sorted(args.directory.glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    components = [c for c in (args.components or "").split(",") if c] or None
    analyzer = Analyzer(components=components, batch_size=args.batch_size)
    learned = any(info.name == "multitask" for info in analyzer.pipeline)
    if not args.memory_probe:
        # first, while this process is small: a child's ru_maxrss starts from its parent's peak (Linux
        # keeps the high-water mark across fork and exec)
        floor_mb = peak_rss_mb("floor", args.directory, args.batch_size, args.components)
        unspun_mb = peak_rss_mb("unspun", args.directory, args.batch_size, args.components)
    model = claim_heads = claims = baseline = None
    nlp = analyzer.nlp
    if learned:
        from unspun.techniques import get_technique_model

        model = get_technique_model()
        if args.baseline_graph and not args.memory_probe:
            baseline = baseline_encoder(model, args.baseline_graph)
        if any(info.name == "claims" for info in analyzer.pipeline) and not args.memory_probe:
            from unspun.analyzer import _build_document
            from unspun.claims.heads import get_claim_heads
            from unspun.document import Article

            claim_heads = get_claim_heads()
            claims = claim_inputs(
                [
                    _build_document(Article(t), "en", 1.0, parsed)
                    for t, parsed in zip(texts, nlp.pipe(texts))
                ]
            )

    if args.memory_probe:
        if args.memory_probe == "floor":
            run_floor(load_english(), texts, args.batch_size)
            if model is not None:
                run_encoder(model, texts)
        else:
            run_unspun(analyzer, args.directory, args.batch_size)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return

    serial = Analyzer(components=components, batch_size=args.batch_size)
    serial.encode_ahead = False
    serial._nlp = nlp  # one spaCy pipeline for every path
    # warm-up: load every model and fill caches on every path
    run_floor(nlp, texts[:5], args.batch_size)
    run_unspun(analyzer, args.directory, args.batch_size)
    times: dict[str, list[float]] = {
        "spacy": [],
        "encoder": [],
        "techniques": [],
        "heads": [],
        "unspun": [],
        "serial": [],
        "overlapped": [],
        "baseline": [],
    }
    counts: dict[str, int] = {}
    for _ in range(args.rounds):
        paths = [("spacy", lambda: run_floor(nlp, texts, args.batch_size))]
        if model is not None:
            paths += [
                ("encoder", lambda: run_encoder(model, texts)),
                *(
                    [("baseline", lambda: run_encoder(model, texts, baseline))]
                    if baseline is not None
                    else []
                ),
                ("techniques", lambda: run_heads(model, texts)),
                ("heads", lambda: run_heads(model, texts, claims, claim_heads)),
                ("overlapped", lambda: run_overlapped(nlp, model, texts, args.batch_size)),
                ("serial", lambda: run_unspun(serial, args.directory, args.batch_size)),
            ]
        paths.append(("unspun", lambda: run_unspun(analyzer, args.directory, args.batch_size)))
        for name, run in paths:
            t0 = time.perf_counter()
            counts[name] = run()
            times[name].append(time.perf_counter() - t0)
    median = {name: statistics.median(values) for name, values in times.items() if values}
    assert counts["unspun"] == counts["spacy"], (counts["unspun"], counts["spacy"])
    n = len(texts)
    names = ", ".join(info.name for info in analyzer.pipeline)
    print(
        f"{n} articles, {counts['spacy']:,} spaCy tokens, {sum(map(len, texts)):,} chars; components: {names}; "
        f"median of {args.rounds} rounds; batch size {args.batch_size}; {os.cpu_count()} CPUs"
    )
    print(f"{'path':<34}{'articles/s':>12}{'tokens/s':>12}{'peak RSS MB':>13}")
    # the floor's memory probe runs spaCy and, when the learned components run, the encoder too
    rows = [
        (
            "spacy",
            "spaCy alone" + (" (RSS: + encoder)" if model is not None else ""),
            counts["spacy"],
            f"{floor_mb:>13.0f}",
        )
    ]
    if model is not None:
        rows += [
            ("encoder", "encoder alone (wordpieces)", counts["encoder"], ""),
            *(
                [("baseline", "baseline graph alone (wordpieces)", counts["baseline"], "")]
                if baseline is not None
                else []
            ),
            ("techniques", "encoder + technique heads (wp)", counts["techniques"], ""),
            ("heads", "encoder + all heads (wordpieces)", counts["heads"], ""),
            ("overlapped", "spaCy | encoder (spaCy tokens)", counts["overlapped"], ""),
            ("serial", "unspun one step at a time", counts["serial"], ""),
        ]
    rows.append(
        ("unspun", "unspun pipeline (spaCy tokens)", counts["unspun"], f"{unspun_mb:>13.0f}")
    )
    for key, label, tokens, memory in rows:
        print(f"{label:<34}{n / median[key]:>12.1f}{tokens / median[key]:>12,.0f}{memory}")
    floor = median["spacy"] + median.get("encoder", 0.0)
    floor_name = "spaCy + encoder" if model is not None else "spaCy alone"
    print(f"throughput ratio unspun / {floor_name}: {floor / median['unspun']:.3f}")
    if model is not None:
        print(
            f"throughput ratio unspun one step at a time / {floor_name}: "
            f"{floor / median['serial']:.3f}"
        )
        print(
            f"throughput ratio unspun / (spaCy | encoder): "
            f"{median['overlapped'] / median['unspun']:.3f}"
        )
        if baseline is not None:
            print(
                f"throughput ratio encoder / baseline graph: "
                f"{median['baseline'] / median['encoder']:.3f}"
            )


if __name__ == "__main__":
    main()
