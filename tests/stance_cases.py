"""Hand-written stance cases: cue verbs in every tense, aspect, mood and with negation.

Sentences are generated from templates written for this project (no corpus text): each is
``(sentence, cue verb lemma, expected stance, expected negated)``. Used by
``tests/test_stance.py`` and by ``python tests/stance_cases.py`` (prints the accuracy on all).
"""

from __future__ import annotations

import itertools

VERBS = {
    # lemma: (3rd person -s, past, past participle, -ing, stance)
    "claim": ("claims", "claimed", "claimed", "claiming", "distancing"),
    "insist": ("insists", "insisted", "insisted", "insisting", "distancing"),
    "allege": ("alleges", "alleged", "alleged", "alleging", "distancing"),
    "deny": ("denies", "denied", "denied", "denying", "doubting"),
    "dispute": ("disputes", "disputed", "disputed", "disputing", "doubting"),
    "confirm": ("confirms", "confirmed", "confirmed", "confirming", "endorsing"),
    "acknowledge": ("acknowledges", "acknowledged", "acknowledged", "acknowledging", "endorsing"),
    "say": ("says", "said", "said", "saying", "neutral"),
    "state": ("states", "stated", "stated", "stating", "neutral"),
    "reject": ("rejects", "rejected", "rejected", "rejecting", "doubting"),
    "dismiss": ("dismisses", "dismissed", "dismissed", "dismissing", "doubting"),
    "admit": ("admits", "admitted", "admitted", "admitting", "endorsing"),
    "describe": ("describes", "described", "described", "describing", "neutral"),
    "warn": ("warns", "warned", "warned", "warning", "neutral"),
    # stance-only verbs (STANCE_ONLY: not inputs of the tagger)
    "conclude": ("concludes", "concluded", "concluded", "concluding", "neutral"),
    "suggest": ("suggests", "suggested", "suggested", "suggesting", "neutral"),
    "determine": ("determines", "determined", "determined", "determining", "endorsing"),
    "contend": ("contends", "contended", "contended", "contending", "distancing"),
    "contradict": ("contradicts", "contradicted", "contradicted", "contradicting", "doubting"),
    # session 21: common reporting verbs that had no stance
    "refute": ("refutes", "refuted", "refuted", "refuting", "doubting"),
    "speculate": ("speculates", "speculated", "speculated", "speculating", "distancing"),
    "corroborate": ("corroborates", "corroborated", "corroborated", "corroborating", "endorsing"),
    "affirm": ("affirms", "affirmed", "affirmed", "affirming", "neutral"),
}
SUBJECTS = ["The ministry", "Kiev", "The spokesman", "Moscow", "The White House", "The mayor"]
#: (template, negated): {s} subject, {v} lemma, {z} -s form, {d} past, {n} participle, {g} -ing
FORMS = [
    ("{s} {d}", False),
    ("{s} {z}", False),
    ("{s} has {n}", False),
    ("{s} had {n}", False),
    ("{s} is {g}", False),
    ("{s} was {g}", False),
    ("{s} will {v}", False),
    ("{s} would {v}", False),
    ("{s} may have {n}", False),
    ("{s} has repeatedly {n}", False),
    ("{s} did not {v}", True),
    ("{s} has never {n}", True),
    ("{s} hasn't {n}", True),
    # contracted auxiliaries
    ("{s}'s {g}", False),
    ("{s}’s {n}", False),
    ("{s} didn't {v}", True),
    ("{s} won’t {v}", True),
]
CONTENTS = [
    "that the video from the town was staged",
    "that the convoy had left the region on Monday",
    "that the talks would resume next week",
]


def cases() -> list[tuple[str, str, str, bool]]:
    out = []
    combos = itertools.product(VERBS.items(), FORMS, SUBJECTS)
    for n, ((lemma, (z, d, p, g, stance)), (form, negated), subject) in enumerate(combos):
        head = form.format(s=subject, v=lemma, z=z, d=d, n=p, g=g)
        content = CONTENTS[n % len(CONTENTS)]
        out.append((f"{head} {content}.", lemma, stance, negated))
    return out


def evaluate(analyzer, chosen) -> tuple[int, list[str]]:
    """Right answers among ``chosen`` cases and a description of each wrong one."""
    right, wrong = 0, []
    reports = analyzer.analyze_batch([sentence for sentence, *_ in chosen])
    for (sentence, lemma, stance, negated), report in zip(chosen, reports):
        claims = [c for c in report.claims.claims if c.cue is not None]
        got = [(c.stance, c.negated) for c in claims]
        if (stance, negated) in got:
            right += 1
        else:
            wrong.append(f"{sentence!r}: expected {(stance, negated)}, got {got}")
    return right, wrong


if __name__ == "__main__":
    from unspun.analyzer import Analyzer

    every = cases()
    right, wrong = evaluate(Analyzer(["claims"]), every)
    print(f"{right} of {len(every)} right ({right / len(every):.1%})")
    for line in wrong[:40]:
        print("  " + line)
