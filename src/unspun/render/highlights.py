"""Highlight layers: every span a renderer marks in the article text, collected from every Report section.

Each analysis that produces spans registers one *layer collector* here (``@register_layer``); the
terminal, HTML and Markdown renderers only ever see :class:`Highlight` tuples and never special-case
a section. Spans may overlap or nest (an entity inside a technique span inside a claim), so
:func:`segment_text` cuts the text at every span boundary into segments that each carry the set of
highlights active over them; a renderer then styles segments, not spans.

Two looks keep overlapping layers apart: *underline* classes (entities) draw a coloured underline,
*tint* classes (persuasion techniques) a coloured background, so an entity inside a technique span
shows both at once.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

from ..report import Report
from ..taxonomy import SEMEVAL2020_TO_2023


class Highlight(NamedTuple):
    """One highlighted span ``[start, end)`` of the article text."""

    start: int
    end: int
    layer: str  # the registered layer, e.g. "entities"
    label: str  # short reader-facing name of the kind, e.g. "place"
    css_class: str  # stable class name shared by the CSS and the terminal palette, e.g. "ent-place"
    tooltip: str  # one line explaining the span


class Segment(NamedTuple):
    """A maximal run of text over which the same highlights are active (outermost first)."""

    start: int
    end: int
    text: str
    highlights: tuple[Highlight, ...]


class HighlightStyle(NamedTuple):
    """How a css class looks: one colour, plus an underline style so colour is never the only cue.

    ``mode`` "underline" draws the colour as an underline (entities); "tint" as a background tint
    without underline (techniques), so that the two stay distinguishable where they overlap.
    """

    color: str  # "#rrggbb", readable on light and dark backgrounds
    underline: str  # CSS text-decoration-style: solid | double | dotted | dashed | wavy
    mode: str = "underline"  # "underline" | "tint"


@dataclass(frozen=True)
class Layer:
    name: str
    title: str
    collect: Callable[[Report], Iterable[Highlight]]


LAYERS: dict[str, Layer] = {}

# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies).
STYLES: dict[str, HighlightStyle] = {
    "ent-person": HighlightStyle("#d55e00", "solid"),
    "ent-organisation": HighlightStyle("#0072b2", "double"),
    "ent-place": HighlightStyle("#009e73", "dashed"),
    "ent-group": HighlightStyle("#cc79a7", "dotted"),
    "ent-date": HighlightStyle("#e69f00", "wavy"),
    "ent-event": HighlightStyle("#56b4e9", "solid"),
    "ent-quantity": HighlightStyle("#8c8c8c", "dotted"),
    "ent-other": HighlightStyle("#7a7a7a", "dashed"),
    # Technique families: background tints (see TECHNIQUE_FAMILIES).
    "tech-attack-on-reputation": HighlightStyle("#d55e00", "solid", "tint"),
    "tech-justification": HighlightStyle("#0072b2", "solid", "tint"),
    "tech-simplification": HighlightStyle("#009e73", "solid", "tint"),
    "tech-distraction": HighlightStyle("#cc79a7", "solid", "tint"),
    "tech-call": HighlightStyle("#f0e442", "solid", "tint"),
    "tech-manipulative-wording": HighlightStyle("#e69f00", "solid", "tint"),
    "tech-other": HighlightStyle("#8c8c8c", "solid", "tint"),
    # Statements matching a known fact-check: a wavy underline, coloured by the best match's verdict.
    "fc-false": HighlightStyle("#d55e00", "wavy"),
    "fc-misleading": HighlightStyle("#e69f00", "wavy"),
    "fc-mixed": HighlightStyle("#cc79a7", "wavy"),
    "fc-true": HighlightStyle("#009e73", "wavy"),
    "fc-unproven": HighlightStyle("#56b4e9", "wavy"),
    "fc-other": HighlightStyle("#8c8c8c", "wavy"),
    # Claims: who (source, dotted), the reporting cue (solid underline, bold in HTML), what (a light tint).
    "claim-source": HighlightStyle("#0072b2", "dotted"),
    "claim-cue": HighlightStyle("#d55e00", "solid"),
    "claim-content": HighlightStyle("#56b4e9", "solid", "tint"),
}

#: The six families of the SemEval-2023 Task 3 technique taxonomy (Piskorski et al., 2023, the
#: task overview paper). One highlight class per family keeps the legend to six entries
#: instead of 23; the technique itself is named in the tooltip and the sections.
TECHNIQUE_FAMILIES: dict[str, tuple[str, ...]] = {
    "attack on reputation": (
        "Name_Calling-Labeling",
        "Doubt",
        "Guilt_by_Association",
        "Appeal_to_Hypocrisy",
        "Questioning_the_Reputation",
    ),
    "justification": (
        "Flag_Waving",
        "Appeal_to_Authority",
        "Appeal_to_Popularity",
        "Appeal_to_Values",
        "Appeal_to_Fear-Prejudice",
    ),
    "simplification": (
        "Causal_Oversimplification",
        "False_Dilemma-No_Choice",
        "Consequential_Oversimplification",
    ),
    "distraction": ("Straw_Man", "Red_Herring", "Whataboutism"),
    "call": ("Slogans", "Conversation_Killer", "Appeal_to_Time"),
    "manipulative wording": (
        "Loaded_Language",
        "Obfuscation-Vagueness-Confusion",
        "Exaggeration-Minimisation",
        "Repetition",
    ),
}
OTHER_TECHNIQUE_FAMILY = "other technique"
_FAMILY_OF: dict[str, str] = {
    technique: family for family, members in TECHNIQUE_FAMILIES.items() for technique in members
}
_FALLBACK_COLORS = ("#e69f00", "#56b4e9", "#009e73", "#0072b2", "#d55e00", "#cc79a7")
_FALLBACK_UNDERLINES = ("solid", "dashed", "dotted", "double", "wavy")


def register_layer(name: str, title: str):
    """Decorator: ``@register_layer("claims", "Claims")`` on a ``collect(report) -> Iterable[Highlight]``."""

    def decorator(collect: Callable[[Report], Iterable[Highlight]]):
        LAYERS[name] = Layer(name=name, title=title, collect=collect)
        return collect

    return decorator


def css_class_name(*parts: str) -> str:
    """A safe CSS class from free-form parts (labels may come from model configs): ``ent-place``."""
    raw = "-".join(parts).lower()
    return re.sub(r"[^a-z0-9]+", "-", raw).strip("-") or "hl"


def style_for(css_class: str) -> HighlightStyle:
    """The style of a class; unknown classes get a stable colour from a checksum (never ``hash()``,
    which is salted per process and would break byte-identical output)."""
    if css_class in STYLES:
        return STYLES[css_class]
    digest = zlib.crc32(css_class.encode("utf-8"))
    return HighlightStyle(
        _FALLBACK_COLORS[digest % len(_FALLBACK_COLORS)],
        _FALLBACK_UNDERLINES[(digest // 7) % len(_FALLBACK_UNDERLINES)],
    )


def technique_family(technique: str) -> str:
    """The SemEval-2023 family of a technique id; anything else is "other technique".

    A SemEval-2020 id takes the family most of the 2023 techniques it merges belong to (ties: the
    first in official order), e.g. ``Whataboutism,Straw_Men,Red_Herring`` -> distraction.
    """
    if technique in _FAMILY_OF:
        return _FAMILY_OF[technique]
    families = [
        _FAMILY_OF[new] for new in SEMEVAL2020_TO_2023.get(technique, ()) if new in _FAMILY_OF
    ]
    if not families:
        return OTHER_TECHNIQUE_FAMILY
    return max(dict.fromkeys(families), key=families.count)  # max keeps the first of equal counts


def technique_css_class(technique: str) -> str:
    """``tech-manipulative-wording`` for ``Loaded_Language``: one class per family."""
    family = technique_family(technique)
    return css_class_name("tech", "other" if family == OTHER_TECHNIQUE_FAMILY else family)


def layer_title(name: str) -> str:
    return LAYERS[name].title if name in LAYERS else name.replace("_", " ").capitalize()


@register_layer("entities", "Entities")
def entity_highlights(report: Report) -> Iterable[Highlight]:
    """One highlight per entity mention; the tooltip names the entity and, for places, where it is."""
    section = report.entities
    if section is None:
        return
    entities = {entity.id: entity for entity in section.entities}
    places = {place.entity: place for place in section.places}
    for mention in section.mentions:
        entity = entities.get(mention.entity)
        parts = [f"{mention.type}: {entity.name if entity else mention.text} ({mention.label})"]
        place = places.get(mention.entity)
        if place is not None and place.resolved:
            where = ", ".join(p for p in (place.geoname, place.region, place.country) if p)
            parts.append(f"→ {where}")
        if mention.original_label and mention.correction:
            parts.append(f"corrected from {mention.original_label}: {mention.correction}")
        yield Highlight(
            start=mention.start,
            end=mention.end,
            layer="entities",
            label=mention.type,
            css_class=css_class_name("ent", mention.type),
            tooltip=" ".join(parts),
        )


@register_layer("techniques", "Persuasion techniques")
def technique_highlights(report: Report) -> Iterable[Highlight]:
    """One highlight per SemEval-2023 technique span (the 2020 spans are for benchmarks and stay in
    the JSON); the class is the technique's family, the tooltip names the technique and says why."""
    section = report.techniques
    if section is None:
        return
    for span in section.spans:
        if not span.shown:
            continue
        yield Highlight(
            start=span.start,
            end=span.end,
            layer="techniques",
            label=technique_family(span.technique),
            css_class=technique_css_class(span.technique),
            tooltip=f"{span.name} (score {span.score:.2f}): {span.explanation}",
        )


def relation_text(match) -> str:
    """What the statement does to the checked claim, for readers: only a statement that repeats
    the claim takes its verdict ("repeats a claim rated false"); "disputes a claim rated false",
    "related fact-check" otherwise."""
    if match.relation == "repeats":
        return f"repeats a claim rated {match.verdict}"
    if match.relation == "contradicts":
        return f"disputes a claim rated {match.verdict}"
    if match.relation == "related":
        return "related fact-check"
    return f"fact-checked: {match.verdict}"


@register_layer("factchecks", "Known fact-checks")
def factcheck_highlights(report: Report) -> Iterable[Highlight]:
    """One highlight per statement that matches a known fact-check, named after its best match."""
    section = report.factchecks
    if section is None:
        return
    for statement in section.statements:
        if not statement.matches:
            continue
        best = statement.matches[0]
        publisher = f" — {best.publisher}" if best.publisher else ""
        label = relation_text(best)
        # only a statement that repeats the checked claim wears its verdict's colour
        verdict_class = best.verdict if best.relation in (None, "repeats") else "related"
        yield Highlight(
            start=statement.start,
            end=statement.end,
            layer="factchecks",
            label=label,
            css_class=css_class_name("fc", verdict_class),
            tooltip=f"{label}: “{best.claim}”{publisher}",
        )


def highlight_layers(report: Report) -> list[Highlight]:
    """Every highlight from every registered layer, valid spans only, in a stable order
    (by start, longest first, so that outer spans precede the spans nested in them)."""
    size = len(report.text)
    found = [
        highlight
        for layer in LAYERS.values()
        for highlight in layer.collect(report)
        # The Report guarantees valid offsets; a renderer still must not crash on a hand-made one.
        if 0 <= highlight.start < highlight.end <= size
    ]
    return sorted(
        set(found), key=lambda h: (h.start, -h.end, h.layer, h.label, h.css_class, h.tooltip)
    )


def segment_text(text: str, highlights: Iterable[Highlight]) -> list[Segment]:
    """Cut ``text`` at every highlight boundary; concatenating the segments' text gives ``text`` back.

    Active highlights keep the order in which they opened, so the outermost one comes first
    (``highlights`` must be ordered as :func:`highlight_layers` returns them).
    """
    opening: dict[int, list[Highlight]] = defaultdict(list)
    bounds = {0, len(text)}
    for highlight in highlights:
        if 0 <= highlight.start < highlight.end <= len(text):
            opening[highlight.start].append(highlight)
            bounds.update((highlight.start, highlight.end))
    segments: list[Segment] = []
    active: list[Highlight] = []
    for start, end in pairwise(sorted(bounds)):
        active = [h for h in active if h.end > start] + opening.get(start, [])
        segments.append(Segment(start, end, text[start:end], tuple(active)))
    return segments


class LegendEntry(NamedTuple):
    layer: str
    css_class: str
    label: str
    count: int


def legend(highlights: Iterable[Highlight]) -> list[LegendEntry]:
    """The kinds of highlight present, grouped by layer in registry order, with their counts."""
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for highlight in highlights:
        counts[(highlight.layer, highlight.css_class, highlight.label)] += 1
    order = {name: index for index, name in enumerate(LAYERS)}
    keys = sorted(counts, key=lambda k: (order.get(k[0], len(order)), k[0], k[2], k[1]))
    return [
        LegendEntry(layer, css, label, counts[(layer, css, label)]) for layer, css, label in keys
    ]


@register_layer("claims", "Who said what")
def claim_highlights(report: Report) -> Iterable[Highlight]:
    """Source, cue and content of each claim shown, as three classes; the tooltip says who said
    what how."""
    section = report.claims
    if section is None:
        return
    for claim in section.claims:
        if not claim.shown:  # a possible attribution the claims table does not list
            continue
        who = claim.speaker.name if claim.speaker is not None else "unattributed"
        how = claim.cue.text if claim.cue is not None else "no cue"
        if claim.stance:
            how = f"{how} ({claim.stance})"
        tooltip = f"{claim.id}: {who} — {how}, {claim.kind}"
        for role, part in (
            ("source", claim.source),
            ("cue", claim.cue),
            ("content", claim.content),
        ):
            for piece in (part.fragments or (part,)) if part is not None else ():
                yield Highlight(
                    start=piece.start,
                    end=piece.end,
                    layer="claims",
                    label=f"claim {role}",
                    css_class=css_class_name("claim", role),
                    tooltip=tooltip,
                )
