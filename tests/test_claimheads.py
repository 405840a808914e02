"""The learned claims heads: tag decoding, features, linking, the tiny training run (data-gated)."""

from __future__ import annotations

import importlib.util
import json
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import ROOT, data_dir, make_document

from unspun.claims import Part, RawClaim, link_spans, rule_claims, rule_spans
from unspun.claims.heads import FEATURES, TAGS, decode_tags, token_features, viterbi_bio
from unspun.claims.quotes import pair_quotes
from unspun.corpora.polnear import Attribution
from unspun.settings import Settings
from unspun.train.claims import gold_tags

O, BS, IS, BC, IC, BT, IT = range(7)


def test_tags_are_the_bio_scheme_over_three_roles():
    assert TAGS == ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")


def test_viterbi_never_continues_a_span_that_did_not_begin():
    # the best tag of every token alone would be I-content right after O: not allowed
    log_probs = np.log(
        np.array(
            [
                [0.9, 0.02, 0.02, 0.02, 0.02, 0.01, 0.01],
                [0.3, 0.01, 0.01, 0.01, 0.01, 0.26, 0.40],
                [0.1, 0.01, 0.01, 0.01, 0.01, 0.06, 0.80],
            ]
        )
    )
    path = viterbi_bio(log_probs).tolist()
    assert path == [O, BT, IT]
    assert viterbi_bio(np.log(np.full((1, 7), 1 / 7))).tolist()[0] in (O, BS, BC, BT)


def test_decode_tags_makes_character_spans_and_splits_at_b():
    offsets = np.array([[0, 3], [4, 8], [9, 13], [14, 18], [19, 22], [23, 26]])
    tags = np.array([BS, IS, BC, BT, BT, IT])
    assert decode_tags(tags, offsets) == [
        ("source", 0, 8),
        ("cue", 9, 13),
        ("content", 14, 18),
        ("content", 19, 26),
    ]
    assert decode_tags(np.array([IT, O]), offsets[:2]) == [
        ("content", 0, 3)
    ]  # a stray I still starts a span


def test_decoded_spans_cover_whole_words():
    from unspun.claims.heads import whole_word_spans

    text = "Jane Doe is leaving, TMZ has learned. We're told so."
    #       0         1         2         3         4
    tmz = text.index("TMZ")
    # only the first word piece of "TMZ" tagged: the source is the whole word, not "T"
    assert decode_tags(np.array([BS, O]), np.array([[tmz, tmz + 1], [tmz + 1, tmz + 3]]), text) == [
        ("source", tmz, tmz + 3)
    ]
    told = text.index("re told")
    # a span starting after an apostrophe stays as it is; one ending inside a word is widened
    assert whole_word_spans(text, [("cue", told, told + 5)]) == [("cue", told, told + 7)]
    # two spans in one word: the second starts where the first ends, or goes
    assert whole_word_spans(text, [("source", tmz, tmz + 1), ("cue", tmz + 2, tmz + 3)]) == [
        ("source", tmz, tmz + 3)
    ]
    assert whole_word_spans(text, [("source", 0, 3), ("cue", 3, 8)]) == [
        ("source", 0, 4),
        ("cue", 4, 8),
    ]


def test_gold_tags_follow_precedence_and_fragments():
    text = "Officials said the city fell. It was over."
    #       0         1         2         3
    attributions = [Attribution(source=((0, 9),), cue=((10, 14),), content=((15, 28), (30, 42)))]
    offsets = np.array(
        [
            [0, 9],
            [10, 14],
            [15, 18],
            [19, 23],
            [24, 28],
            [28, 29],
            [30, 32],
            [33, 36],
            [37, 41],
            [41, 42],
        ]
    )
    tags = gold_tags(text, offsets, attributions).tolist()
    assert tags == [BS, BC, BT, IT, IT, O, BT, IT, IT, IT]


def test_link_spans_groups_a_split_quote_and_keeps_orphans():
    text = '"We did not do it," he said, "and we never will." Later, the war went on.'
    he = text.index("he said")
    spans = [
        ("content", 1, 17),
        ("source", he, he + 2),
        ("cue", he + 3, he + 7),
        ("content", text.index("and we"), text.index("will.") + 5),
        ("content", text.index("the war"), len(text) - 1),
    ]
    claims = link_spans(text, spans, [], lambda offset: 0 if offset < 50 else 1, max_gap=10)
    assert len(claims) == 2
    first, orphan = claims
    assert text[first.source.start : first.source.end] == "he"
    assert text[first.cue.start : first.cue.end] == "said"
    assert text[first.content.start : first.content.end].startswith("We did not do it")
    assert first.content.end >= text.index("will.") + 4
    assert (
        orphan.cue is None
        and orphan.source is None
        and text[orphan.content.start :].startswith("the war")
    )


def test_link_spans_repairs_a_missing_source_and_content_from_the_parse():
    text = "The ministry claimed the video was staged."
    rule = RawClaim(Part(0, 12), Part(13, 20), Part(21, 41), "claim", 0)
    claims = link_spans(text, [("cue", 13, 20)], [rule], lambda offset: 0)
    assert claims == [RawClaim(Part(0, 12), Part(13, 20), Part(21, 41), "claimed", 0)]
    assert (
        link_spans(text, [("cue", 13, 20)], [], lambda offset: 0) == []
    )  # nothing reported, no claim


@pytest.fixture(scope="module")
def nlp():
    from unspun.nlp import load_english

    return load_english()


def test_token_features_mark_quotes_cues_words_and_rule_roles(nlp):
    text = 'The ministry said the "liberation" was over.'
    doc = make_document(nlp, text)
    pairs, _ = pair_quotes(text)
    rules = rule_claims(doc, pairs, [])
    offsets = np.array([[t.idx, t.idx + len(t)] for t in doc.spacy_doc])
    vocab = {"tag": list(nlp.get_pipe("tagger").labels), "dep": list(nlp.get_pipe("parser").labels)}
    feats = token_features(text, doc.spacy_doc, offsets, pairs, rule_spans(rules), vocab)
    assert feats.shape == (len(offsets), len(FEATURES))
    col = {name: i for i, name in enumerate(FEATURES)}
    said = [t.text for t in doc.spacy_doc].index("said")
    liberation = [t.text for t in doc.spacy_doc].index("liberation")
    assert feats[said, col["cue"]] == 1  # neutral cue
    assert feats[said, col["rule"]] == 2  # the rules call it a cue
    assert feats[liberation, col["quote"]] == 1 and feats[liberation - 1, col["quote"]] == 2
    assert feats[:, col["word_start"]].all() and feats[0, col["sent_start"]] == 1
    assert (feats[:, col["tag"]] > 0).all() and (feats[:, col["dep"]] > 0).all()
    empty = token_features("", None, np.zeros((0, 2), dtype=np.int64), [], [], vocab)
    assert empty.shape == (0, len(FEATURES))


needs_training = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("torch",))
    or not (data_dir() / "polnear").is_dir()
    or not (data_dir() / "checkthat2024-task1-checkworthiness-en").is_dir(),
    reason="needs torch and the research data (PolNeAR, CheckThat! 2024)",
)


@needs_training
def test_tiny_claims_training_run_exports_verified_heads(tmp_path):
    from unspun.claims.heads import ClaimHeads
    from unspun.modelstore import load_manifest
    from unspun.train.claims import run_claims_training

    run_claims_training(
        ROOT / "configs" / "claims-tiny.toml", data_dir(), tmp_path, log=lambda _: None
    )
    manifest = load_manifest(tmp_path / "model")
    assert set(manifest["files"]) == {"attribution.onnx", "checkworthiness.onnx"}
    assert 0 < manifest["config"]["thresholds"]["checkworthiness"] < 1
    metrics = json.loads((tmp_path / "metrics.json").read_text())["metrics"]
    assert set(metrics["polnear_dev_role_spans"]["token"]) >= {"source", "cue", "content"}
    heads = ClaimHeads(tmp_path / "model")
    hidden = np.random.default_rng(0).normal(size=(9, 384)).astype(np.float32)
    tags = heads.tag(hidden, np.zeros((9, len(FEATURES)), dtype=np.int64))
    assert tags.shape == (9,) and set(tags.tolist()) <= set(range(len(TAGS)))
    scores = heads.checkworthiness([hidden, hidden[:2], hidden[:0]])
    assert scores.shape == (3,) and ((scores >= 0) & (scores <= 1)).all() and scores[2] == 0


@needs_training
def test_refit_trains_the_taggers_again_on_all_of_train_and_keeps_the_slice_ones(tmp_path):
    from unspun.train.claims import run_claims_training

    config = tmp_path / "claims-refit.toml"
    config.write_text(
        (ROOT / "configs" / "claims-tiny.toml")
        .read_text()
        .replace("[training]", "[training]\nrefit = true")
    )
    run_claims_training(config, data_dir(), tmp_path / "run", log=lambda _: None)
    info = json.loads((tmp_path / "run" / "training.json").read_text())
    assert info["refit"]["epochs"] == [e["best_epoch"] for e in info["attribution"]]
    assert info["refit"]["articles"] > 0
    refit = (tmp_path / "run" / "model" / "attribution.onnx").read_bytes()
    kept = (tmp_path / "run" / "slice" / "attribution.onnx").read_bytes()
    assert refit != kept  # the shipped tagger is the refit one; the slice one chose the offsets


# -- the shipped heads in `unspun analyze` ------------------------------------------------------------


def _claims(report):
    section = report.claims
    assert section is not None
    text = report.text
    for claim in section.claims:
        for part in (claim.source, claim.cue, claim.content):
            if part is not None:
                assert text[part.start : part.end] == part.text
    return section


def test_learned_claims_are_scored_and_listed_most_check_worthy_first(analyzer, example_report):
    section = _claims(example_report)
    assert section.claims and all(c.method == "model" for c in section.claims)
    scores = [c.checkworthiness for c in section.claims]
    assert all(s is not None and 0 <= s <= 1 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert sorted(c.id_number for c in section.claims) == list(range(1, len(section.claims) + 1))
    assert 0 < section.checkworthiness_threshold < 1
    assert [s.sentence for s in section.sentences] == sorted(s.sentence for s in section.sentences)
    assert len(section.sentences) >= len(example_report.sentences) - 2
    ministry = [c for c in section.claims if c.speaker and "Ministry" in c.speaker.name]
    assert ministry and "claimed" in {c.cue.text for c in ministry if c.cue}
    assert "claims" in analyzer.models()


@pytest.mark.parametrize(
    "text",
    [
        'The ministry said "the video was staged. It was all fake, officials insisted.',  # unbalanced
        "\u201cWe did nothing wrong,\" the spokesman said, 'and we never will\u2019.",  # curly and straight mixed
        '"The first paragraph of the quote,\n\n"and its second paragraph," Peskov said.',  # across paragraphs
        'Major General Igor Konashenkov, the ministry\'s spokesman, said: "This is a provocation."',  # source first
        '"',
        "said said said according to according to",
    ],
)
def test_odd_quotes_degrade_gracefully(analyzer, text):
    section = _claims(analyzer.analyze(text))
    assert all(c.method == "model" for c in section.claims)


def test_claims_fall_back_to_rules_without_the_heads(monkeypatch, nlp):
    import unspun.claims.heads
    from unspun.claims import ClaimsComponent
    from unspun.errors import ModelError

    def unavailable(*_args, **_kwargs):
        raise ModelError("no claims model here")

    monkeypatch.setattr(unspun.claims.heads, "get_claim_heads", unavailable)
    doc = make_document(nlp, "The ministry claimed the video was staged.")
    with pytest.raises(ModelError):  # a broken install is never passed over silently...
        ClaimsComponent(None).process([doc])
    allowed = SimpleNamespace(settings=Settings(allow_missing_models=True))
    ClaimsComponent(allowed).process([doc])  # ...unless the user asked to go on without it
    section = doc.sections["claims"]
    assert [c.method for c in section.claims] == ["rules"]
    assert any("no claims model here" in note for note in section.notes)
    assert section.sentences == [] and section.checkworthiness_threshold is None


def test_long_articles_are_tagged_in_chunks_that_cover_every_word_piece():
    from unspun.claims.heads import get_claim_heads, tagger_log_probs

    heads = get_claim_heads()
    rng = np.random.default_rng(1)
    n = 700
    hidden = rng.normal(scale=0.3, size=(n, 384)).astype(np.float32)
    feats = np.zeros((n, len(FEATURES)), dtype=np.int64)
    whole = tagger_log_probs(heads._attribution, hidden, feats, None)
    chunked = tagger_log_probs(heads._attribution, hidden, feats, 256)
    assert whole.shape == chunked.shape == (n, len(TAGS))
    assert np.isfinite(chunked).all() and (chunked <= 1e-9).all()  # mean of log-probabilities
    # the middle of a chunk sees enough context to agree with the whole-sequence pass (on noise
    # input; on PolNeAR dev the chunked pass scores the same F1 as the whole one)
    assert (whole.argmax(axis=1) == chunked.argmax(axis=1)).mean() > 0.85
    short = tagger_log_probs(heads._attribution, hidden[:100], feats[:100], 256)
    assert np.allclose(short, tagger_log_probs(heads._attribution, hidden[:100], feats[:100], None))


def test_viterbi_shortcut_matches_the_full_programme():
    from unspun.claims.heads import _valid_bio

    rng = np.random.default_rng(2)
    for _ in range(50):
        log_probs = np.log(rng.dirichlet(np.ones(7) * 0.3, size=30))
        path = viterbi_bio(log_probs)
        assert _valid_bio(path)
        # brute-force check on the score: no valid path scores higher than the one returned
        greedy = log_probs.argmax(axis=1)
        if _valid_bio(greedy):
            assert (path == greedy).all()
        assert log_probs[np.arange(30), path].sum() <= log_probs.max(axis=1).sum() + 1e-9


def test_an_unquoted_piece_before_the_source_does_not_join_the_content():
    text = "MOSCOW, April 4 \u2014 The ministry claimed that the images were staged."
    source = text.index("The ministry")
    cue = text.index("claimed")
    after = text.index("that the images")
    spans = [
        ("content", 0, text.index(" \u2014")),
        ("source", source, source + 12),
        ("cue", cue, cue + 7),
        ("content", after, len(text) - 1),
    ]
    (claim,) = link_spans(text, spans, [], lambda offset: 0, max_gap=40)
    assert text[claim.content.start : claim.content.end] == "that the images were staged"
    assert text[claim.source.start : claim.source.end] == "The ministry"


def test_viterbi_finds_the_best_valid_path_by_brute_force():
    import itertools

    from unspun.claims.heads import _valid_bio

    rng = np.random.default_rng(7)
    paths = {
        n: [np.array(p) for p in itertools.product(range(7), repeat=n) if _valid_bio(np.array(p))]
        for n in (1, 2, 3, 4)
    }
    checked = 0
    for _ in range(60):
        n = int(rng.integers(1, 5))
        log_probs = np.log(rng.dirichlet(np.ones(7) * 0.3, size=n))
        path = viterbi_bio(log_probs)
        assert _valid_bio(path) and path.dtype == np.int64 and len(path) == n
        best = max(log_probs[np.arange(n), p].sum() for p in paths[n])
        assert abs(log_probs[np.arange(n), path].sum() - best) < 1e-9
        checked += not _valid_bio(log_probs.argmax(axis=1))
    assert checked > 5  # the dynamic programme itself ran, not only the argmax shortcut


def test_checkworthiness_batches_give_each_sentence_the_score_it_gets_alone():
    from unspun.claims.heads import get_claim_heads

    heads = get_claim_heads()
    rng = np.random.default_rng(3)
    sentences = [
        rng.normal(scale=0.3, size=(int(n), 384)).astype(np.float32) for n in (1, 5, 40, 3, 120, 17)
    ]
    sentences.insert(2, np.zeros((0, 384), np.float32))
    together = heads.checkworthiness(sentences)
    alone = np.array([heads.checkworthiness([s])[0] for s in sentences])
    assert together.shape == (len(sentences),) and together[2] == 0.0  # an empty sentence scores 0
    assert np.allclose(together, alone, atol=1e-5)
    assert ((together >= 0) & (together <= 1)).all()
