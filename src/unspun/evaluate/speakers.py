"""Each hand-judged attribution paired with the claim a Report gives it, and whether its speaker
is right (``benchmarks/labels/*speakers*.tsv``: keys and hashes, no article text).

The labels were made on earlier outputs, whose cue boundaries and offsets have moved since: a
labelled cue is found again by its sentence's key and any phrase of up to two words around the
predicted cue (:func:`cue_keys`); two labelled rows of one cue in one sentence pair up in order.
Used by ``benchmarks/realnews_check.py`` and ``benchmarks/horne_claims_check.py`` for the
figures, and by ``unspun train -c configs/speaker-confidence.toml`` for the speaker confidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import NamedTuple

from ..corpora import label_key

#: honorifics the readers wrote or left out ("Sir Richard Dearlove" is "Richard Dearlove")
HONORIFICS = ("", "Sir ", "Dame ", "Lord ", "Lady ", "Dr ", "Dr. ", "Mr ", "Mr. ", "Mrs ", "Ms ")
#: and a description without its "a" is the same description
PREFIXES = (*HONORIFICS, "a ", "an ", "A ", "An ")


class Verdict(NamedTuple):
    """One claim of a labelled attribution, judged."""

    key: tuple  # the labelled attribution: (page, sentence key, cue key, cue start, twin)
    page: str
    claim: str  # the claim's id in its report
    right: bool  # the speaker's name is one the reader accepts
    typed: bool  # the speaker's type agrees with the reader's
    shown: bool  # the Report lists the claim
    row: dict  # the label row
    offset: int  # of the cue in its sentence
    name: str  # the speaker's name ("" for none)
    sentence: str  # the sentence's words, for reading misses (never committed)


def cue_keys(sentence: str, start: int, end: int) -> set[str]:
    """Label keys of the phrases a labelled cue may have been marked as around the predicted cue
    at ``start:end`` of ``sentence``: the labels were made on an earlier output whose cue
    boundaries differed ("said" now "said of", "has been described as" now "has been
    described"; "told reporters:", "said in an interview", "’s claiming"). Every run of up to
    two words before to two words after that shares a word with the predicted cue."""
    words = list(re.finditer(r"[\w\u2019'-]+", sentence))
    inside = [i for i, w in enumerate(words) if w.start() < end and start < w.end()]
    if not inside:
        return set()
    keys = set()
    first, last = max(0, inside[0] - 2), min(len(words) - 1, inside[-1] + 2)
    for i in range(first, last + 1):
        for j in range(i, last + 1):
            if j < inside[0] or i > inside[-1]:
                continue  # shares no word with the predicted cue
            keys.add(label_key(sentence[words[i].start() : words[j].end()]))
    return keys


def judge_speakers(reports: dict[str, dict], rows: list[dict]) -> list[Verdict]:
    """Every claim the Reports (JSON dicts by page) give a labelled attribution of ``rows``
    (the label file's rows, non-attributions included and skipped), judged."""
    rows = [r for r in rows if r["not_attribution"] != "yes"]
    by_sentence: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        by_sentence[(r["page"], r["sent_key"])].append(r)
    verdicts: list[Verdict] = []
    for page, report in reports.items():
        sentences = report.get("sentences") or []
        claims = (report.get("claims") or {}).get("claims") or []
        text = report["text"]
        # (labelled sentence, labelled cue) -> [(offset of the cue in the sentence, claim)]
        matched: dict[tuple, list[tuple[int, dict]]] = defaultdict(list)
        words_of: dict[str, str] = {}
        for claim in claims:
            sentence = (
                sentences[claim["sentence"]]
                if claim.get("sentence") is not None and claim["sentence"] < len(sentences)
                else None
            )
            if not sentence or not claim.get("cue"):
                continue
            words = text[sentence["start"] : sentence["end"]]
            labelled = by_sentence.get((page, label_key(words)))
            if not labelled:
                continue
            words_of[label_key(words)] = words
            offset = claim["cue"]["start"] - sentence["start"]
            keys = cue_keys(words, offset, claim["cue"]["end"] - sentence["start"])
            cue_text = text[claim["cue"]["start"] : claim["cue"]["end"]]
            exact = label_key(cue_text)
            keys |= {exact, label_key(re.sub(r"^['\u2019](?=\w)", "", cue_text))}
            cues = {r["cue_key"] for r in labelled if r["cue_key"] in keys}
            if exact in cues:  # the cue as labelled, not a neighbour's phrase it shares a word with
                cues = {exact}
            for cue in cues:
                matched[(label_key(words), cue)].append((offset, claim))
        for (s_key, cue), found in matched.items():
            # the labels' offsets are the article's at labelling time (the text has moved since):
            # two attributions with the same cue in one sentence pair up in order
            candidates = sorted(
                (r for r in by_sentence[(page, s_key)] if r["cue_key"] == cue),
                key=lambda r: int(r["cue_start"] or 0),
            )
            offsets = sorted({o for o, _ in found})
            for k, (offset, claim) in enumerate(found):
                if len(offsets) == len(candidates):
                    row = candidates[offsets.index(offset)]
                elif len(found) == len(candidates):
                    # a sentence the article repeats word for word: each copy's claim is its own
                    # row, in text order (session 28; both copies had paired with the first)
                    row = candidates[k]
                else:
                    base = int(candidates[0]["cue_start"] or 0)
                    row = min(
                        candidates,
                        key=lambda r: abs(int(r["cue_start"] or 0) - base - (offset - offsets[0])),
                    )
                speaker = claim.get("speaker") or {}
                name, kind = speaker.get("name") or "", speaker.get("type") or ""
                gold_keys = set(row["gold_speakers"].split(","))
                right = any(label_key(f"{h}{name}") in gold_keys for h in PREFIXES)
                want = row.get("gold_type") or "-"
                want = "unnamed" if want == "group" else want  # the first set's word for them
                # the author is "the author (byline)", a person, or "the author", unnamed; what
                # nobody is said to have said is "unattributed", which the schema types unnamed
                typed = (
                    kind == want
                    or want in ("-", "other")
                    or (want == "author" and kind in ("person", "unnamed"))
                    or (want == "unattributed" and kind == "unnamed")
                )
                # several claims of one cue (two contents) count once: right when all of them
                # are (and the row's place among its twins: two rows of a repeated sentence are two)
                twin = next(i for i, r in enumerate(candidates) if r is row)
                key = (page, row["sent_key"], row["cue_key"], row["cue_start"], twin)
                verdicts.append(
                    Verdict(
                        key=key,
                        page=page,
                        claim=claim.get("id", ""),
                        right=right,
                        typed=typed,
                        shown=claim.get("shown", True),
                        row=row,
                        offset=offset,
                        name=name,
                        sentence=words_of[s_key],
                    )
                )
    return verdicts
