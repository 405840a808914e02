"""Check-worthiness: scoring an article's claims and sentences, and the model `unspun eval` uses."""

from __future__ import annotations

from collections.abc import Sequence

from ..document import Document
from ..report import Claim, SentenceCheckworthiness, round_score

#: A claim shorter than this (word pieces) is scored by the sentences it is in.
MIN_CLAIM_PIECES = 8


def score_checkworthiness(
    doc: Document, heads, outputs, claims: list[Claim], calibrate=None
) -> list[SentenceCheckworthiness]:
    """Score every sentence and every claim (token states of the one encoder pass, pooled over the
    word pieces of the sentence, or of the claim from its first to its last part: source, cue and
    content together read like the sentences the head was trained on); sets ``claim.checkworthiness``
    and returns the sentence scores. ``calibrate`` (score -> probability) maps the head's score
    for news, when given; ``raw_score`` keeps the head's own. (CheckThat!'s evaluation mixes in the
    words model, :class:`CheckworthinessModel`; news scores are the head's, see component.py.)"""
    calibrate = calibrate or (lambda score: score)
    ranges = [outputs.token_range(span.start, span.end) for span in doc.sentences]
    for claim in claims:
        parts = [p for p in (claim.source, claim.cue, claim.content) if p is not None]
        start, end = min(p.start for p in parts), max(p.end for p in parts)
        claim_range = outputs.token_range(start, end)
        if claim_range is None or claim_range[1] - claim_range[0] < MIN_CLAIM_PIECES:
            # too few word pieces to read alone ("'No,' he said."): score the sentences it is in
            sentence = [
                r
                for span, r in zip(doc.sentences, ranges[: len(doc.sentences)])
                if r is not None and span.start < end and start < span.end
            ]
            if sentence:
                claim_range = (min(r[0] for r in sentence), max(r[1] for r in sentence))
        ranges.append(claim_range)
    states = [outputs.hidden[r[0] : r[1]] if r else outputs.hidden[:0] for r in ranges]
    scores = heads.checkworthiness(states)
    sentences = []
    n = len(doc.sentences)
    for index, (span, score, r) in enumerate(zip(doc.sentences, scores[:n], ranges[:n])):
        if r is None:
            continue
        sentences.append(
            SentenceCheckworthiness(
                start=span.start,
                end=span.end,
                text=doc.text[span.start : span.end],
                sentence=index,
                checkworthiness=round_score(calibrate(float(score))),
                raw_score=round_score(float(score)),
            )
        )
    for claim, score, r in zip(claims, scores[n:], ranges[n:]):
        claim.checkworthiness = round_score(calibrate(float(score))) if r else None
    return sentences


class CheckworthinessModel:
    """``checkworthiness(texts) -> [(Yes|No, score)]``: each text encoded alone, scored by the head
    and the words model mixed (:mod:`unspun.claims.cw_words`), then mixed with the fine-tuned
    encoder (:mod:`unspun.claims.cw_encoder`), at the encoder mix's threshold."""

    def __init__(self):
        from ..techniques import get_technique_model
        from .cw_encoder import get_encoder_checkworthiness
        from .cw_words import get_words_checkworthiness
        from .heads import get_claim_heads

        self.heads = get_claim_heads()
        self.encoder = get_technique_model()
        self.words = get_words_checkworthiness()
        self.fine_tuned = get_encoder_checkworthiness()
        self.threshold = self.fine_tuned.threshold

    def scores(self, texts: Sequence[str]) -> list[float]:
        texts = list(texts)
        states = [out.hidden for out in self.encoder.run_each(texts)]
        mix = self.words.blended(self.heads.checkworthiness(states), texts)
        return [float(s) for s in self.fine_tuned.blended(mix, texts)]

    def checkworthiness(self, texts):
        return [("Yes" if s >= self.threshold else "No", s) for s in self.scores(texts)]


def get_checkworthiness_model() -> CheckworthinessModel:
    """The check-worthiness model used by `unspun eval/export --task checkthat-cw`."""
    return CheckworthinessModel()
