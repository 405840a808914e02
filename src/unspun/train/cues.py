"""Annotators' cue words: which words the training articles' annotators marked as each technique.

For every technique of a taxonomy, a word is kept when, in the training articles annotated in that
taxonomy, at least ``min_count`` of its uses fall inside a span of the technique, in at least
``min_articles`` different articles (so one article's topic words are not taken for cues), and the share of
its uses that do is at least ``min_rate`` and at least ``lift`` times the share of *all* words the
technique's spans cover (so long-span techniques do not keep every common word). Stop words,
numbers and words under 3 letters are never kept. The table stores, per word, how many of its uses
were marked (``k``) and how many uses there were (``n``): ``unspun analyze`` explains a span with
the span's word that annotators marked most often ("annotators marked 'categorically' as loaded
language in 5 of its 7 uses"). Single lowercased words and counts only: no text of the corpus.
Only *lexical* techniques get a table: those whose median span is at most ``max_median_words``
words (loaded language, name calling, exaggeration, flag waving, slogans...); in a 16-word span of
doubt or causal oversimplification no single word is the reason, and the words that pass the
filters there are the topics of a few articles. Repetition is left out too: what makes a span a
repetition is the rest of the article, not its words.

Written by ``unspun train --config configs/techniques.toml`` next to the model (``cues/``) and
shipped as the ``technique-cues`` bundle (``src/unspun/models/technique-cues``); read at run time by
:func:`unspun.taxonomy.annotator_cues`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ..taxonomy import ANNOTATED_WORD, CUES_BUNDLE

#: The words explanations look up, counted here the same way.
WORD = ANNOTATED_WORD

CUES_FILE = "cues.json"

#: Techniques left out of the table (see the module docstring).
EXCLUDED = frozenset({"Repetition"})


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS  # spaCy is a core dependency

    return frozenset(STOP_WORDS)


def _median(values: list[int]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return (
        float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    )


def cue_table(
    articles: Iterable,
    *,
    min_count: int = 3,
    min_articles: int = 3,
    min_rate: float = 0.2,
    lift: float = 3.0,
    max_median_words: int = 8,
    per_technique: int = 300,
    stop_words: frozenset[str] | None = None,
) -> dict[str, dict[str, dict[str, list[int]]]]:
    """``{taxonomy: {technique: {word: [k, n]}}}`` from labelled articles (see the module docstring).

    ``articles`` are :class:`unspun.corpora.LabelledArticle`-like objects with ``text`` and
    ``spans2023`` / ``spans2020`` lists of ``(technique, start, end)`` (``None`` when the article is
    not annotated in that taxonomy; an annotated article with no span counts, its words are uses).
    Words are kept most-marked first (by ``k / n``, then ``k``), at most ``per_technique`` each.
    """
    stop = _stop_words() if stop_words is None else stop_words
    articles = list(articles)
    table: dict[str, dict[str, dict[str, list[int]]]] = {}
    for taxonomy, attribute in (("semeval2023", "spans2023"), ("semeval2020", "spans2020")):
        uses: Counter[str] = Counter()
        marked: dict[str, Counter[str]] = {}
        spread: dict[str, Counter[str]] = {}  # technique -> word -> articles with a marked use
        covered: Counter[str] = Counter()  # technique -> words inside its spans (base rate)
        lengths: dict[str, list[int]] = {}  # technique -> words per span
        total = 0
        for article in articles:
            spans = getattr(article, attribute, None)
            if spans is None:
                continue
            by_technique: dict[str, list[tuple[int, int]]] = {}
            for technique, start, end in spans:
                by_technique.setdefault(technique, []).append((start, end))
                lengths.setdefault(technique, []).append(len(WORD.findall(article.text[start:end])))
            seen: set[tuple[str, str]] = set()
            for match in WORD.finditer(article.text):
                word = match.group(0).lower()
                total += 1
                inside = {
                    t
                    for t, ranges in by_technique.items()
                    if any(s <= match.start() and match.end() <= e for s, e in ranges)
                }
                covered.update(inside)
                if len(word) < 3 or word in stop:
                    continue
                uses[word] += 1
                for technique in inside:
                    marked.setdefault(technique, Counter())[word] += 1
                    if (technique, word) not in seen:
                        seen.add((technique, word))
                        spread.setdefault(technique, Counter())[word] += 1
        techniques: dict[str, dict[str, list[int]]] = {}
        for technique in sorted(marked):
            if technique in EXCLUDED or _median(lengths.get(technique, [0])) > max_median_words:
                continue
            base = covered[technique] / total if total else 0.0
            floor = max(min_rate, lift * base)
            kept = [
                (word, k, uses[word])
                for word, k in marked[technique].items()
                if k >= min_count
                and spread[technique][word] >= min_articles
                and k / uses[word] >= floor
            ]
            kept.sort(key=lambda item: (-item[1] / item[2], -item[1], item[0]))
            if kept:
                techniques[technique] = {word: [k, n] for word, k, n in kept[:per_technique]}
        if techniques:
            table[taxonomy] = techniques
    return table


def write_cue_bundle(
    out_dir: Path, table: dict, *, train_articles: int, settings: dict | None = None
) -> Path:
    """Write ``cues.json`` and its ``manifest.json`` (sha256-checked at load) into ``out_dir``."""
    import json

    from ..modelstore import write_manifest

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / CUES_FILE).write_text(
        json.dumps(table, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    write_manifest(
        out_dir,
        [CUES_FILE],
        name=CUES_BUNDLE,
        version="1.0.0",
        description="Annotators' cue words per persuasion technique (word -> [uses marked, uses]) "
        "from the training articles; single lowercased words and counts, no text",
        config={"cues_file": CUES_FILE, **(settings or {})},
        training={
            "train_articles": train_articles,
            "words": {tax: sum(len(w) for w in techs.values()) for tax, techs in table.items()},
        },
    )
    return out_dir
