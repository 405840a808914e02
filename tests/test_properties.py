"""Property tests: arbitrary Unicode never crashes the Analyzer, and every span keeps its offsets."""

from __future__ import annotations

import json

import jsonschema
from conftest import assert_span_invariants
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspun.errors import InputError
from unspun.report import Report, report_json_schema

TRICKY = [
    "\r\n",
    "\r",
    "\n\n",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\t",
    "\x0b",
    "\x0c",
    "\x85",
    "👍🏽",
    "🇺🇦",
    "👩‍👩‍👧",
    "e\u0301",
    "a\u0308\u0323",
    "\u200b",
    "\u200c",
    "\u200d",
    "\ufeff",
    "مرحبا بالعالم",
    "שלום",
    "\u202e",
    "\u202c",
    "Kiev",
    "the town of Bucha",
    " said ",
    "Major General Igor Konashenkov",
    '"staged"',
    "“liberation”",
    "'",
    "—",
    "...",
    "U.S.",
    "\x00",
    "\ud7ff",
    "\U0010ffff",
    "ǅ",
    "ß",
    "İ",
    "ﬁ",
]

fragments = st.one_of(
    st.sampled_from(TRICKY),
    st.text(min_size=1, max_size=12),
    st.sampled_from(
        ["The ministry claimed ", "Kiev insists ", "in the cities of Sumy and Chernihiv. "]
    ),
)
texts = st.one_of(
    st.lists(fragments, min_size=1, max_size=40).map("".join),
    st.text(min_size=1, max_size=300),
    # very long lines: one fragment repeated without any line break
    st.tuples(st.sampled_from(TRICKY + ["word "]), st.integers(200, 2000)).map(
        lambda t: t[0] * t[1]
    ),
)

SCHEMA = report_json_schema()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_any_unicode_text_gives_a_valid_report_or_a_clear_input_error(analyzer, text):
    try:
        report = analyzer.analyze(text)
    except InputError as err:
        assert text.strip() == "" and err.code == "U102"
        return
    assert report.text == text
    assert_span_invariants(report)
    payload = report.model_dump_json()
    assert Report.model_validate_json(payload) == report
    jsonschema.validate(json.loads(payload), SCHEMA)
