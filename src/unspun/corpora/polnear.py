"""PolNeAR attribution corpus: the brat standoff reader, annotator copies, and token roles.

PolNeAR (Newell, Margolin and Ruths, "An Attribution Relations Corpus for Political News",
LREC 2018) annotates *who said what*: each attribution relation links a **source** (the speaker,
possibly absent or a pronoun), a **cue** (the verb or phrase that signals attribution: "said",
"according to") and a **content** (what was attributed). The corpus is brat standoff: one ``.txt``
per article and one ``.ann`` per (article, annotator), whose lines are

    T<n><TAB><Label> <start> <end>[;<start> <end>...]<TAB><text>
    E<n><TAB>Attribution:T<a> Content:T<x> Cue:T<y> Source:T<z>
    E<n><TAB>Attribution-no-source:T<a> Content:T<x> Cue:T<y>
    #<n><TAB>AnnotatorNotes T<k><TAB><note>

Labels are ``Source``, ``Cue``, ``Content``, ``Attribution`` (the relation's trigger, usually the cue
span), ``Attribution-no-source``, and the annotators' bookkeeping labels ``Discard`` and
``Discuss`` (kept as annotations, never part of a relation). A relation may have a second content
(``Content2``). Offsets index the ``.txt`` exactly (end exclusive); a discontinuous span lists its
fragments separated by ``;`` and its text joins the fragments with one space. Corpus quirks the
reader tolerates: a ``T`` line whose text contains raw newlines continues on the next line(s)
(three such lines in the training split), and relations with only a trigger (no cue, no content)
are skipped with a note.

Some articles were annotated by several annotators (the annotator-training compartment: 919
``.ann`` for 840 train texts). :func:`read_polnear` returns one :class:`AttributionDoc` per
``.ann`` file, with ``annotator`` set from the file name; :func:`choose_annotations` keeps one per
text, deterministically, for training and evaluation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..errors import InputError

#: The tokens that attribution roles and scores are computed over: words and single punctuation marks.
TOKEN_PATTERN = re.compile(r"\w+|[^\w\s]")
#: The roles of an attribution relation, in the order of precedence used when spans overlap.
ROLES: tuple[str, ...] = ("source", "cue", "content")
NO_ROLE = "none"

Fragments = tuple[tuple[int, int], ...]

_ANNOTATOR_SUFFIX = re.compile(r"^(?P<stem>.+)_(?P<annotator>[0-9a-f]{4})$")
_BRAT_LINE = re.compile(r"^[TERAMN#*]\d*\t")
_RELATION_LABELS = {"Attribution", "Attribution-no-source"}


# -- data model ------------------------------------------------------------------------------------


class BratAnnotation(NamedTuple):
    """One brat ``T`` line: a labelled (possibly discontinuous) span."""

    id: str
    label: str
    fragments: Fragments
    text: str

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


@dataclass(frozen=True)
class Attribution:
    """One attribution relation: who (``source``) said (``cue``) what (``content``).

    Each role is a tuple of ``(start, end)`` fragments into the document text (one fragment for
    a contiguous span); ``source`` is None when the content is unattributed. A relation with two
    contents (``Content``, ``Content2``) has the fragments of both in ``content`` and both ids in
    ``content_ids``. Ids are the brat ids (``E3``, ``T12``); predicted relations may leave them empty.
    """

    source: Fragments | None
    cue: Fragments
    content: Fragments
    id: str = ""
    source_id: str | None = None
    cue_id: str | None = None
    content_ids: tuple[str, ...] = ()
    trigger_id: str | None = None

    def spans(self, role: str) -> Fragments:
        """The fragments of ``role`` (``source``, ``cue`` or ``content``); empty when absent."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; expected one of {ROLES}")
        return getattr(self, role) or ()


@dataclass
class AttributionDoc:
    """One annotated article: its text, its attribution relations and where they came from.

    ``id`` is the text's file stem (shared by every annotator's copy); ``annotator`` is the
    four-hex-digit suffix of the ``.ann`` file name (None when the name has none);
    ``annotations`` keeps every ``T`` line by id, including ``Discard``/``Discuss``.
    """

    id: str
    text: str
    attributions: list[Attribution] = field(default_factory=list)
    annotator: str | None = None
    ann_path: Path | None = None
    text_path: Path | None = None
    annotations: dict[str, BratAnnotation] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Unique per ``.ann`` file: ``id`` plus ``@annotator`` when there is one."""
        return f"{self.id}@{self.annotator}" if self.annotator else self.id


# -- brat ------------------------------------------------------------------------------------------


def _fragments(location: str, value: str, text_length: int) -> Fragments:
    fragments = []
    for part in value.split(";"):
        pieces = part.split()
        if len(pieces) != 2:
            raise InputError(location, f"bad span {part!r}: expected 'start end'")
        try:
            start, end = int(pieces[0]), int(pieces[1])
        except ValueError:
            raise InputError(location, f"bad span {part!r}: offsets must be integers") from None
        if not 0 <= start < end <= text_length:
            raise InputError(
                location, f"span {start}-{end} is outside the text (length {text_length})"
            )
        fragments.append((start, end))
    return tuple(fragments)  # in file order: the text field joins them in this order


def _logical_lines(path: Path, content: str):
    """``(line_number, line)`` of a brat file, joining a ``T`` line's text continued on later lines.

    PolNeAR has a few ``T`` lines whose text contains raw newlines; the continuation lines do
    not start with a brat id, so they are appended (with the newline) to the open ``T`` line.
    """
    pending: tuple[int, str] | None = None
    for number, line in enumerate(content.split("\n"), 1):
        line = line.rstrip("\r")
        if _BRAT_LINE.match(line):
            if pending:
                yield pending
            pending = (number, line)
        elif pending and pending[1].startswith("T"):
            pending = (pending[0], pending[1] + "\n" + line)
        elif not line.strip():
            continue
        else:
            if pending:
                yield pending
                pending = None
            yield number, line
    if pending:
        yield pending


def parse_brat(
    ann_path: str | Path,
    text: str,
    *,
    doc_id: str | None = None,
    annotator: str | None = None,
    text_path: Path | None = None,
) -> AttributionDoc:
    """Parse one PolNeAR ``.ann`` file against its article ``text``.

    Raises :class:`InputError` naming ``file:line`` for a malformed line (unknown line type, a bad
    or out-of-range span, a relation naming an unknown ``T`` id). A ``T`` line whose text field
    differs from the article at its offsets is kept (offsets are the truth) with a note; trailing
    whitespace and newline-vs-space differences are not reported.
    """
    ann_path = Path(ann_path)
    try:
        content = ann_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(str(ann_path), f"cannot read: {err}") from None
    doc = AttributionDoc(
        id=doc_id or ann_path.stem,
        text=text,
        annotator=annotator,
        ann_path=ann_path,
        text_path=text_path,
    )
    relations: list[tuple[str, int, list[tuple[str, str]]]] = []
    for number, line in _logical_lines(ann_path, content):
        location = f"{ann_path}:{number}"
        kind = line[:1]
        fields = line.split("\t")
        if kind == "T":
            if len(fields) < 2 or " " not in fields[1]:
                raise InputError(location, "expected 'T<n><TAB><label> <start> <end><TAB><text>'")
            label, spans = fields[1].split(" ", 1)
            fragments = _fragments(location, spans, len(text))
            shown = "\t".join(fields[2:])
            expected = " ".join(text[s:e] for s, e in fragments)
            if " ".join(shown.split()) != " ".join(expected.split()):
                doc.notes.append(f"{location}: text field differs from the article at {spans}")
            fragments = tuple(sorted(fragments))
            doc.annotations[fields[0]] = BratAnnotation(
                fields[0], label, fragments, " ".join(text[s:e] for s, e in fragments)
            )
        elif kind == "E":
            if len(fields) < 2:
                raise InputError(location, "expected 'E<n><TAB>Role:T<id> ...'")
            arguments = []
            for argument in fields[1].split():
                role, sep, target = argument.partition(":")
                if not sep or not target:
                    raise InputError(
                        location, f"bad relation argument {argument!r}: expected 'Role:T<id>'"
                    )
                arguments.append((role, target))
            if not arguments:
                raise InputError(location, "relation has no arguments")
            relations.append((fields[0], number, arguments))
        elif kind in "#AMNR*":
            continue  # notes, attributes, normalisations, binary relations: not used by PolNeAR
        else:
            raise InputError(
                location,
                f"not a brat standoff line: {line[:40]!r}",
                hint="lines start with T, E, R, A, M, N, * or #",
            )
    for relation_id, number, arguments in relations:
        attribution = _relation(doc, f"{ann_path}:{number}", relation_id, arguments)
        if attribution is not None:
            doc.attributions.append(attribution)
    doc.attributions.sort(key=_attribution_key)
    return doc


def _relation(
    doc: AttributionDoc, location: str, relation_id: str, arguments: list[tuple[str, str]]
) -> Attribution | None:
    source = cue = None
    contents: list[BratAnnotation] = []
    trigger = None
    for role, target in arguments:
        annotation = doc.annotations.get(target)
        if annotation is None:
            raise InputError(
                location,
                f"relation {relation_id} names {target}, which is not a T line of this file",
            )
        base = role.rstrip("0123456789")
        if role in _RELATION_LABELS:
            trigger = annotation
        elif base == "Source":
            source = source or annotation
        elif base == "Cue":
            cue = cue or annotation
        elif base == "Content":
            contents.append(annotation)
        else:
            raise InputError(
                location,
                f"relation {relation_id} has an unknown role {role!r}",
                hint="PolNeAR roles are Attribution, Source, Cue, Content, Content2",
            )
    if cue is None and not contents:
        doc.notes.append(f"{location}: relation {relation_id} has no cue and no content; skipped")
        return None
    content = tuple(sorted(f for c in contents for f in c.fragments))
    return Attribution(
        source=source.fragments if source else None,
        cue=cue.fragments if cue else (),
        content=content,
        id=relation_id,
        source_id=source.id if source else None,
        cue_id=cue.id if cue else None,
        content_ids=tuple(c.id for c in contents),
        trigger_id=trigger.id if trigger else None,
    )


def _attribution_key(a: Attribution):
    first = min([f for role in ROLES for f in a.spans(role)] or [(0, 0)])
    return (first, a.cue, a.content, a.source or (), a.id)


def split_annotator(stem: str, text_stems: Iterable[str] = ()) -> tuple[str, str | None]:
    """``("<text stem>", "<annotator>")`` for an ``.ann`` stem like ``<text stem>_4e07``.

    When ``text_stems`` is given, a suffix is only split off if the remainder names a text
    (so an article whose own name ends in ``_abcd`` is not misread).
    """
    stems = set(text_stems)
    match = _ANNOTATOR_SUFFIX.match(stem)
    if match and (not stems or match.group("stem") in stems) and stem not in stems:
        return match.group("stem"), match.group("annotator")
    return stem, None


def read_brat_dir(ann_dir: str | Path, text_dir: str | Path) -> list[AttributionDoc]:
    """Every ``.ann`` of ``ann_dir`` parsed against its ``.txt`` in ``text_dir``; sorted by (id, annotator).

    Texts are read exactly as stored (UTF-8, newlines untouched: offsets index them). An ``.ann``
    without a text raises :class:`InputError`; texts without any ``.ann`` are not returned.
    """
    ann_dir, text_dir = Path(ann_dir), Path(text_dir)
    for directory in (ann_dir, text_dir):
        if not directory.is_dir():
            raise InputError(
                str(directory), "no such directory", hint="check --gold/--articles or UNSPUN_DATA"
            )
    texts = {p.stem: p for p in sorted(text_dir.glob("*.txt"))}
    docs = []
    cache: dict[str, str] = {}
    for ann_path in sorted(ann_dir.glob("*.ann")):
        doc_id, annotator = split_annotator(ann_path.stem, texts)
        text_path = texts.get(doc_id)
        if text_path is None:
            raise InputError(str(ann_path), f"no text {doc_id}.txt in {text_dir}")
        if doc_id not in cache:
            with open(text_path, encoding="utf-8", newline="") as handle:
                cache[doc_id] = handle.read()
        docs.append(
            parse_brat(
                ann_path, cache[doc_id], doc_id=doc_id, annotator=annotator, text_path=text_path
            )
        )
    docs.sort(key=lambda d: (d.id, d.annotator or ""))
    return docs


def read_polnear(split_dir: str | Path) -> list[AttributionDoc]:
    """One :class:`AttributionDoc` per ``.ann`` file of a PolNeAR split (``<split>/{text,attributions}``).

    Articles annotated by several annotators appear once per annotator; see :func:`choose_annotations`.
    """
    split_dir = Path(split_dir)
    return read_brat_dir(split_dir / "attributions", split_dir / "text")


def choose_annotations(docs: Iterable[AttributionDoc]) -> list[AttributionDoc]:
    """One annotation per text, deterministically: the one with the most relations, ties to the lowest annotator id.

    The most complete annotation is the best single reference for training and scoring (the
    multiply-annotated articles are the annotator-training set, where later annotators sometimes
    stopped early). Sorted by id.
    """
    best: dict[str, AttributionDoc] = {}
    for doc in docs:
        current = best.get(doc.id)
        if current is None or (-len(doc.attributions), doc.annotator or "") < (
            -len(current.attributions),
            current.annotator or "",
        ):
            best[doc.id] = doc
    return [best[i] for i in sorted(best)]


# -- token roles -----------------------------------------------------------------------------------


def tokens(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every token: ``\\w+`` runs and single non-space, non-word characters."""
    return [m.span() for m in TOKEN_PATTERN.finditer(text)]


def token_roles(text: str, attributions: Iterable[Attribution]) -> list[tuple[int, int, str]]:
    """``(start, end, role)`` for every token of ``text``; role is ``source``, ``cue``, ``content`` or ``none``.

    A token has a role when a span of that role covers at least one of its characters (so a
    span that starts or ends inside a word still claims the word). PolNeAR is univocal, so a
    token normally has one role; where spans of several roles cover it (overlapping predictions),
    the order of :data:`ROLES` decides: source, then cue, then content (the shorter, more
    specific spans win over the long contents around them).
    """
    rank = {role: i + 1 for i, role in enumerate(ROLES)}
    marks = bytearray(len(text))  # 0 = none, else the best (lowest) rank covering the character
    for attribution in attributions:
        for role in ROLES:
            value = rank[role]
            for start, end in attribution.spans(role):
                start, end = max(0, start), min(len(text), end)
                for i in range(start, end):
                    if marks[i] == 0 or marks[i] > value:
                        marks[i] = value
    names = (NO_ROLE, *ROLES)
    result = []
    for start, end in tokens(text):
        covered = [m for m in marks[start:end] if m]
        result.append((start, end, names[min(covered)] if covered else NO_ROLE))
    return result


__all__ = [
    "NO_ROLE",
    "ROLES",
    "TOKEN_PATTERN",
    "Attribution",
    "AttributionDoc",
    "BratAnnotation",
    "choose_annotations",
    "parse_brat",
    "read_brat_dir",
    "read_polnear",
    "split_annotator",
    "token_roles",
    "tokens",
]
