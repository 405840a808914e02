"""The bundled gazetteer: lookups are normalised, resolution prefers the reading the article supports."""

from collections import Counter

import pytest

from unspun import gazetteer as gz
from unspun.errors import ModelError


@pytest.fixture(scope="module")
def gazetteer():
    return gz.get_gazetteer()


@pytest.mark.parametrize("name", ["Bucha", "Borodianka", "Hostomel"])
def test_small_ukrainian_towns_resolve_to_ukraine_with_context(gazetteer, name):
    res = gazetteer.resolve(name, Counter({"UA": 2}))
    assert res is not None
    assert res.entry.country_code == "UA"
    assert res.entry.kind == "city"
    assert res.entry.admin1 == "Kiev"  # all three lie in the Kyiv region
    assert 0.9 <= res.confidence <= 1


def test_bucha_has_a_german_namesake_that_loses(gazetteer):
    countries = {e.country_code for e in gazetteer.lookup("Bucha")}
    assert {"UA", "DE"} <= countries
    assert gazetteer.resolve("Bucha", Counter({"UA": 1})).entry.country_code == "UA"


def test_kiev_is_kyiv_the_city(gazetteer):
    res = gazetteer.resolve("Kiev")
    assert (res.entry.name, res.entry.kind, res.entry.country_code) == ("Kyiv", "city", "UA")
    assert gazetteer.resolve("Kyiv").entry.geonames_id == res.entry.geonames_id


def test_region_suffix_selects_the_region(gazetteer):
    res = gazetteer.resolve("Kyiv Oblast")
    assert res.entry.kind == "region" and res.entry.country_code == "UA"


def test_paris_is_france_not_texas(gazetteer):
    assert gazetteer.resolve("Paris").entry.country_code == "FR"


def test_georgia_is_the_country_unless_the_article_is_american(gazetteer):
    assert gazetteer.resolve("Georgia").entry.country_code == "GE"
    us = gazetteer.resolve("Georgia", Counter({"US": 3}))
    assert (us.entry.kind, us.entry.country_code) == ("region", "US")


@pytest.mark.parametrize(
    "name, code",
    [
        ("the United States", "US"),
        ("U.S.", "US"),
        ("USA", "US"),
        ("Britain", "GB"),
        ("UK", "GB"),
        ("Russia", "RU"),
        ("Ukraine's", "UA"),
        ("KYÏV", "UA"),
    ],
)
def test_country_aliases_possessives_and_diacritics(gazetteer, name, code):
    assert gazetteer.resolve(name).entry.country_code == code


@pytest.mark.parametrize("name", ["Konashenkov", "Reuters", "Qwxzlandia", "", "  "])
def test_unknown_names_resolve_to_none(gazetteer, name):
    assert gazetteer.resolve(name) is None
    assert gazetteer.lookup(name) == []


def test_common_words_are_not_alternate_names(gazetteer):
    # 'March' and 'Police' are alternate names of real places in GeoNames; they must not match
    assert all(
        e.population >= 100_000 or e.name.lower() == "march" for e in gazetteer.lookup("March")
    )
    assert gazetteer.lookup("the") == []


def test_normalise_name():
    assert gz.normalise_name("The Kyïv") == "kyiv"
    assert gz.normalise_name("U.S.") == "us"
    assert gz.normalise_name("Gostomel'") == "gostomel"
    assert gz.normalise_name("Київ") == ""


def test_sha256_mismatch_raises_model_error(monkeypatch):
    monkeypatch.setattr(gz, "GAZETTEER_SHA256", "0" * 64)
    with pytest.raises(ModelError) as err:
        gz.Gazetteer()
    assert "sha256" in str(err.value) and "hint" in str(err.value)


def test_loaded_once_per_process():
    assert gz.get_gazetteer() is gz.get_gazetteer()


@pytest.mark.parametrize(
    "word, code",
    [
        ("Ukrainian", "UA"),
        ("russian", "RU"),
        ("Chinese", "CN"),
        ("Polish", "PL"),
        ("Turkish", "TR"),
        ("Israeli", "IL"),
        ("Icelandic", "IS"),
        ("Chilean", "CL"),
        ("German", "DE"),
        ("French", "FR"),
    ],
)
def test_demonyms_name_their_country(gazetteer, word, code):
    assert gazetteer.demonym_country(word).country_code == code


@pytest.mark.parametrize("word", ["Ukraine", "Bucha", "West", "officials", ""])
def test_places_and_plain_words_are_not_demonyms(gazetteer, word):
    assert gazetteer.demonym_country(word) is None


def test_demonym_forms_follow_suffix_rules():
    forms = gz.demonym_forms("lebanon")
    assert "lebanese" in forms and "lebanon" not in forms
    assert {"ukrainian"} <= gz.demonym_forms("ukraine") and {"iraqi"} <= gz.demonym_forms("iraq")


@pytest.mark.parametrize("name", ["West", "East", "Central", "Capital", "Centre"])
def test_compass_points_and_common_words_are_not_region_names(gazetteer, name):
    # GeoNames has regions with these names (Cameroon's West, Venezuela's Capital); as keys they
    # would make "the West" a place in Cameroon
    assert all(e.kind != "region" for e in gazetteer.lookup(name))
