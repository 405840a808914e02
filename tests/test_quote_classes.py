"""Quotation marks are classified: speech, title, term, scare; only scare quotes are distancing."""

from __future__ import annotations

import hashlib

from unspun.analyzer import Analyzer
from unspun.claims.quote_classes import CLASSES, FEATURES, get_quote_classifier, quote_features


def _key(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).lower().encode("utf-8")).hexdigest()[:12]


def test_features_read_the_context_of_the_marks():
    text = 'The film called "Night Train" opened. He said "no" and the so-called "experts" left.'
    first = text.index('"')
    row = dict(
        zip(FEATURES, quote_features(text, first + 1, first + 11, first, first + 11), strict=True)
    )
    assert (
        row["naming_verb_before"] == 1
        and row["all_capitalised"] == 1
        and row["work_noun_before"] == 0
    )
    third = text.index('"experts"')
    row = dict(
        zip(FEATURES, quote_features(text, third + 1, third + 8, third, third + 8), strict=True)
    )
    assert row["so_called_before"] == 1 and row["one_word"] == 1


def test_the_report_lists_every_quote_with_its_kind():
    text = (
        'Critics panned the film "The Long Night" on Friday. "We will rebuild every road," the '
        'minister told reporters. The so-called "peacekeepers" then left the town.'
    )
    claims = Analyzer(components=["claims"]).analyze(text).claims
    kinds = {q.text.strip(",."): q.kind for q in claims.quotes}
    assert kinds["The Long Night"] == "title"
    assert kinds["We will rebuild every road"] == "speech"
    assert kinds["peacekeepers"] == "scare"
    assert [s.text for s in claims.scare_quotes] == ["peacekeepers"]
    assert all(0 <= q.score <= 1 and q.kind in CLASSES for q in claims.quotes)


def test_training_on_a_tiny_labelled_set(tmp_path):
    from unspun.train import train

    articles = tmp_path / "data" / "semeval2020-task11-ptc" / "train-articles"
    articles.mkdir(parents=True)
    rows = ["corpus\tdoc\tstart\tend\tkey\twords\tlabel\tconfidence"]
    samples = [
        ('The minister said "we will win this war soon".', "speech"),
        ('They watched the film "Blue River" twice.', "title"),
        ('The word "lockdown" entered the dictionary.', "term"),
        ('The so-called "experts" were wrong again.', "scare"),
    ]
    for k in range(24):
        sentence, label = samples[k % 4]
        (articles / f"article{k}.txt").write_text(sentence, encoding="utf-8")
        start = sentence.index('"') + 1
        end = sentence.index('"', start)
        rows.append(
            f"ptc2020\tarticle{k}\t{start}\t{end}\t{_key(sentence[start:end])}\t1\t{label}\thigh"
        )
    labels = tmp_path / "quotes.tsv"
    labels.write_text("\n".join(rows) + "\n", encoding="utf-8")
    config = tmp_path / "quotes.toml"
    config.write_text(
        f'kind = "quotes"\n[training]\nfolds = 3\nlabels = "{labels}"\n', encoding="utf-8"
    )
    figures = train(config, tmp_path / "data", tmp_path / "out", log=lambda *_: None)
    assert figures["examples"] == 24 and figures["all"]["accuracy"] > 0.5
    assert (tmp_path / "out" / "quotes.json").is_file()
    shipped = get_quote_classifier()
    assert shipped.classes == CLASSES and 0 < shipped.scare_threshold < 1


def test_a_term_defined_after_so_called_is_a_term_and_a_sneer_stays_scare():
    from unspun.claims.quotes import find_scare_quotes

    text = (
        "The bill would make providers store so-called \u201cmetadata\u201d \u2014 the who, where "
        "and when of a call. Profiles hold so-called \u201cpersonal data\u201d (PII) too. "
        "Then the so-called \u201cpeacekeepers\u201d left the town."
    )
    result = find_scare_quotes(text)
    kinds = {text[q.start : q.end]: q.kind for q in result.classes}
    assert kinds["metadata"] == "term" and kinds["personal data"] == "term"
    assert [q.text for q in result] == ["peacekeepers"]


def test_a_word_defined_or_applied_as_a_label_is_a_term_not_a_scare_quote():
    from unspun.claims.quotes import _LABEL_BEFORE, _WORD_DEFINED_AFTER

    text = 'By "pushback", I mean a flood of insults. Put what you listed as "junk" in a box.'
    close = text.index('", I mean')
    assert _WORD_DEFINED_AFTER.match(text, close)
    assert _WORD_DEFINED_AFTER.match('"income" is not the right word here', 7)
    assert not _WORD_DEFINED_AFTER.match('"income" is a disaster here', 7)
    opening = text.index('"junk"')
    assert _LABEL_BEFORE.search(text, opening - 30, opening)
    assert not _LABEL_BEFORE.search("they were seen as ", 0)


def test_the_technique_models_spans_over_a_quote_are_features():
    """What the technique model reads over a quote (loaded language, a label, doubt, any
    technique) feeds the classifier: the most likely span overlapping the quote or its marks,
    found by bisection, not by reading every span."""
    from unspun.claims.quote_classes import TechniqueSpans

    text = 'They praised the "liberation" of the town, a word far from the truth.'
    mark = text.index('"')
    close = text.index('"', mark + 1)
    spans = TechniqueSpans(
        [
            (0, 4, "Doubt", 0.9),  # before the quote: not over it
            (mark, close + 1, "Loaded_Language", 0.7),
            (mark - 4, mark + 3, "Name_Calling-Labeling", 0.4),
            (10, close + 12, "Flag_Waving", 0.8),  # a long span over the quote
            (close + 5, close + 9, "Doubt", 0.6),  # after it: not over it
        ]
    )
    row = dict(
        zip(FEATURES, quote_features(text, mark + 1, close, mark, close, spans), strict=True)
    )
    assert row["loaded_language_span"] == 0.7
    assert row["name_calling_span"] == 0.4
    assert row["doubt_span"] == 0.0
    assert row["technique_span"] == 0.8
    bare = dict(zip(FEATURES, quote_features(text, mark + 1, close, mark, close), strict=True))
    assert bare["technique_span"] == 0.0  # without the technique model, no span


def test_the_report_reads_the_technique_spans_into_the_quote_classes():
    """The claims component passes the encoder pass's technique spans to the quote classifier
    (the multi-task encoder runs before it): a quote's score differs from a run of the
    classifier on its form alone."""
    from unspun.claims.quotes import find_scare_quotes

    text = (
        'Russian troops completed the "liberation" of the town, the ministry said, after weeks '
        "of shelling that left it in ruins."
    )
    report = Analyzer(components=["claims"]).analyze(text).claims
    with_spans = {q.text: q.score for q in report.quotes}
    alone = {text[q.start : q.end]: q.probability for q in find_scare_quotes(text).classes}
    assert with_spans["liberation"] != alone["liberation"]
