"""Offline place-name gazetteer: look up and resolve place names against bundled GeoNames data.

The data file ``data/gazetteer.tsv.gz`` is built by ``scripts/build_gazetteer.py`` (see
``data/GAZETTEER.md`` for sources and licence). It is checked against :data:`GAZETTEER_SHA256` when
loaded, and loaded at most once per process (:func:`get_gazetteer`).

Each row holds: geonames_id, kind (country|region|city), name, lookup keys (the name and its
Latin-script alternate names, already normalised with :func:`normalise_name` and joined by ``|``),
country code, country name, admin1 (region) name, latitude, longitude, population.
Rows are parsed into :class:`GazetteerEntry` objects only when a lookup returns them, which keeps
start-up fast: the load builds nothing but a dict from keys to row numbers.
"""

from __future__ import annotations

import gzip
import hashlib
import math
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .errors import ModelError

GAZETTEER_PATH = Path(__file__).parent / "data" / "gazetteer.tsv.gz"

#: sha256 of ``data/gazetteer.tsv.gz``; update it (the build script prints it) when rebuilding.
GAZETTEER_SHA256 = "c2b8556c27d5fb90f81401f3309bffd8340e7ad4be3d4c20af93eac2287319ad"

# Letters that NFKD does not decompose into an ASCII base letter plus combining marks.
_SPECIAL_LETTERS = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
        "þ": "th",
        "Þ": "Th",
        "ħ": "h",
        "Ħ": "H",
        "ŀ": "l",
        "ĸ": "k",
        # apostrophe look-alikes and transliteration marks (Tʻbilisi, Gostomel') vanish
        "’": "",
        "‘": "",
        "'": "",
        "`": "",
        "´": "",
        "ʻ": "",
        "ʼ": "",
        "ʹ": "",
        "ʾ": "",
        "ʿ": "",
        ".": "",
        "-": " ",
        "‐": " ",
        "‑": " ",
        "–": " ",
        "—": " ",
        "_": " ",
    }
)
_NON_KEY = re.compile(r"[^a-z ]")
_SPACES = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"['’]s?$")


def normalise_name(name: str) -> str:
    """Lookup key for a name: ASCII lowercase letters and single spaces, or '' if not Latin script.

    Diacritics are removed (Kyïv -> kyiv), hyphens become spaces, dots and apostrophes vanish
    (U.S. -> us, Gostomel' -> gostomel), a leading 'the ' is dropped. Offsets in article text are
    never derived from this key, so the normalisation is free to change the length.
    """
    text = unicodedata.normalize("NFKD", name.translate(_SPECIAL_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_SPECIAL_LETTERS)
    text = _SPACES.sub(" ", text.casefold()).strip()
    text = text.removeprefix("the ")
    if not text or _NON_KEY.search(text):
        return ""
    return text


def strip_possessive(name: str) -> str:
    """'Ukraine's' -> 'Ukraine', 'Kyiv’s' -> 'Kyiv'; other names unchanged."""
    return _POSSESSIVE.sub("", name.strip()) if name.strip()[-2:] in ("'s", "’s") else name.strip()


@dataclass(frozen=True)
class GazetteerEntry:
    geonames_id: int
    kind: str  # country | region | city
    name: str
    country_code: str
    country: str
    admin1: str
    latitude: float
    longitude: float
    population: int


# Demonyms the suffix rules of demonym_forms() miss; lowercase form -> country code.
IRREGULAR_DEMONYMS = {
    "british": "GB",
    "english": "GB",
    "scottish": "GB",
    "welsh": "GB",
    "scots": "GB",
    "french": "FR",
    "dutch": "NL",
    "swiss": "CH",
    "greek": "GR",
    "spanish": "ES",
    "danish": "DK",
    "finnish": "FI",
    "irish": "IE",
    "thai": "TH",
    "afghan": "AF",
    "filipino": "PH",
    "czech": "CZ",
    "slovak": "SK",
    "portuguese": "PT",
    "norwegian": "NO",
    "peruvian": "PE",
    "saudi": "SA",
    "emirati": "AE",
    "somali": "SO",
    "ghanaian": "GH",
    "congolese": "CD",
    "ivorian": "CI",
    "kazakh": "KZ",
    "uzbek": "UZ",
    "tajik": "TJ",
    "kyrgyz": "KG",
    "turkmen": "TM",
    "burmese": "MM",
    "lao": "LA",
    "argentine": "AR",
    "panamanian": "PA",
    "salvadoran": "SV",
    "malagasy": "MG",
    "cypriot": "CY",
    "montenegrin": "ME",
    "slovene": "SI",
    "nepali": "NP",
    "bahraini": "BH",
    "american": "US",
    "soviet": "RU",
    "kiwi": "NZ",
    "nigerien": "NE",
    "mozambican": "MZ",
    "belarusian": "BY",
}
# (letters dropped from the end of a country name, suffix added): Ukraine -> Ukrain + ian.
_DEMONYM_RULES = (
    ("", "n"),
    ("", "an"),
    ("", "ian"),
    ("", "ean"),
    ("", "ese"),
    ("", "i"),
    ("", "ic"),
    ("e", "ian"),
    ("e", "an"),
    ("a", "ian"),
    ("a", "ese"),
    ("y", "ian"),
    ("y", ""),
    ("y", "ish"),
    ("ey", "ish"),
    ("en", "ish"),
    ("and", "ish"),
    ("on", "ese"),
    ("o", "an"),
    ("a", "i"),
)


def demonym_forms(country_key: str) -> set[str]:
    """Candidate demonyms of a one-word country key: 'ukraine' -> {'ukrainian', ...}.

    The rules over-generate on purpose (most forms are not words at all); callers only use the
    set to recognise adjectives spaCy already tagged as a place, never to find mentions.
    """
    forms = set()
    for drop, suffix in _DEMONYM_RULES:
        if drop and not country_key.endswith(drop):
            continue
        stem = country_key[: len(country_key) - len(drop)]
        if len(stem) >= 3 and (drop or suffix):
            forms.add(stem + suffix)
    forms.discard(country_key)
    return forms


class Resolution(NamedTuple):
    entry: GazetteerEntry
    confidence: float  # in [0, 1]
    reason: str
    candidates: int


# Suffixes that make a name a first-level region ("Kyiv Oblast", "Donetsk region").
_REGION_SUFFIXES = (
    "oblast",
    "region",
    "province",
    "state",
    "governorate",
    "prefecture",
    "krai",
    "county",
)

# Kind preference: a country name nearly always means the country; a region outranks a small town
# of the same name but not the namesake city (handled in _score); continents, macro-regions and
# seas outrank the towns named after them.
_KIND_BONUS = {
    "continent": 3.0,
    "country": 3.0,
    "macro-region": 2.0,
    "sea": 8.0,  # no population: the bonus stands in for it (the Atlantic, not Atlantic, Iowa)
    "region": 1.0,
    "city": 0.0,
}

#: Places GeoNames' city/country/region extract does not have: continents (GeoNames ids),
#: macro-regions and seas (unspun's own ids, at or below MACRO_ID_CEILING), with approximate centre points and
#: populations, plus the Donbas (spelt two ways) and the Palestinian territories. (id, kind, name, other names, country code,
#: latitude, longitude, population)
MACRO_PLACES: tuple[tuple[int, str, str, tuple[str, ...], str, float, float, int], ...] = (
    (6255146, "continent", "Africa", (), "", 2.0, 17.0, 1_400_000_000),
    (6255148, "continent", "Europe", (), "", 50.0, 15.0, 745_000_000),
    (6255147, "continent", "Asia", (), "", 34.0, 100.0, 4_700_000_000),
    (6255149, "continent", "North America", (), "", 46.0, -100.0, 580_000_000),
    (6255150, "continent", "South America", (), "", -15.0, -60.0, 430_000_000),
    (6255151, "continent", "Oceania", (), "", -20.0, 140.0, 44_000_000),
    (6255152, "continent", "Antarctica", (), "", -80.0, 0.0, 1_000),
    (-101000, "macro-region", "Latin America", (), "", -5.0, -70.0, 650_000_000),
    (-101100, "macro-region", "East Africa", ("Eastern Africa",), "", 0.0, 37.0, 450_000_000),
    (-101200, "macro-region", "West Africa", ("Western Africa",), "", 12.0, -2.0, 420_000_000),
    (-101300, "macro-region", "North Africa", ("Northern Africa",), "", 27.0, 15.0, 250_000_000),
    (-101400, "macro-region", "Southern Africa", (), "", -25.0, 25.0, 70_000_000),
    (-101500, "macro-region", "Central Africa", (), "", 2.0, 20.0, 180_000_000),
    (-101600, "macro-region", "Sub-Saharan Africa", (), "", 0.0, 20.0, 1_100_000_000),
    (-101700, "macro-region", "Horn of Africa", (), "", 8.0, 45.0, 150_000_000),
    (-101800, "macro-region", "Sahel", (), "", 14.0, 5.0, 150_000_000),
    (-101900, "macro-region", "Maghreb", (), "", 32.0, 3.0, 100_000_000),
    (-102000, "macro-region", "Middle East", ("Mideast",), "", 29.0, 45.0, 400_000_000),
    (-102100, "macro-region", "Near East", (), "", 33.0, 38.0, 200_000_000),
    (-102200, "macro-region", "Levant", (), "", 33.0, 36.0, 45_000_000),
    (-102300, "macro-region", "Caucasus", ("South Caucasus",), "", 42.0, 44.0, 30_000_000),
    (-102400, "macro-region", "Central Asia", (), "", 45.0, 68.0, 75_000_000),
    (-102500, "macro-region", "South Asia", (), "", 22.0, 78.0, 1_900_000_000),
    (
        -102600,
        "macro-region",
        "Southeast Asia",
        ("South-East Asia", "South East Asia"),
        "",
        5.0,
        110.0,
        680_000_000,
    ),
    (-102700, "macro-region", "East Asia", (), "", 35.0, 115.0, 1_600_000_000),
    (-102800, "macro-region", "Far East", (), "", 45.0, 135.0, 1_600_000_000),
    (-102900, "macro-region", "Scandinavia", (), "", 63.0, 15.0, 21_000_000),
    (-103000, "macro-region", "Balkans", ("Western Balkans",), "", 43.0, 21.0, 55_000_000),
    (-103100, "macro-region", "Eastern Europe", (), "", 52.0, 30.0, 290_000_000),
    (-103200, "macro-region", "Western Europe", (), "", 48.0, 5.0, 200_000_000),
    (-103300, "macro-region", "Central Europe", (), "", 50.0, 15.0, 160_000_000),
    (-103400, "macro-region", "Baltics", ("Baltic states",), "", 57.0, 24.0, 6_000_000),
    (-103500, "macro-region", "Caribbean", (), "", 18.0, -72.0, 44_000_000),
    (-103600, "macro-region", "Central America", (), "", 13.0, -86.0, 50_000_000),
    (-103700, "macro-region", "Arctic", (), "", 80.0, 0.0, 4_000_000),
    (-103800, "macro-region", "Persian Gulf region", ("Gulf region",), "", 26.0, 51.0, 60_000_000),
    (-103900, "region", "Donbas", ("Donbass",), "UA", 48.0, 38.0, 6_500_000),
    (-104000, "region", "Gaza Strip", ("Gaza",), "PS", 31.4, 34.4, 2_100_000),
    (-104100, "region", "West Bank", (), "PS", 31.9, 35.2, 3_000_000),
    (-105000, "sea", "Atlantic Ocean", ("Atlantic",), "", 0.0, -30.0, 0),
    (-105100, "sea", "Pacific Ocean", ("Pacific",), "", 0.0, -160.0, 0),
    (-105200, "sea", "Indian Ocean", (), "", -20.0, 80.0, 0),
    (-105300, "sea", "Arctic Ocean", (), "", 85.0, 0.0, 0),
    (-105400, "sea", "Southern Ocean", (), "", -60.0, 0.0, 0),
    (-105500, "sea", "Mediterranean Sea", ("Mediterranean",), "", 35.0, 18.0, 0),
    (-105600, "sea", "Black Sea", (), "", 43.0, 34.0, 0),
    (-105700, "sea", "Baltic Sea", ("Baltic",), "", 58.0, 20.0, 0),
    (-105800, "sea", "North Sea", (), "", 56.0, 3.0, 0),
    (-105900, "sea", "Red Sea", (), "", 20.0, 38.0, 0),
    (-106000, "sea", "Caspian Sea", (), "", 41.0, 51.0, 0),
    (-106100, "sea", "Sea of Azov", ("Azov Sea",), "", 46.0, 36.5, 0),
    (-106200, "sea", "South China Sea", (), "", 12.0, 114.0, 0),
    (-106300, "sea", "East China Sea", (), "", 29.0, 125.0, 0),
    (-106400, "sea", "Caribbean Sea", (), "", 15.0, -75.0, 0),
    (-106500, "sea", "Gulf of Mexico", (), "", 25.0, -90.0, 0),
    (-106600, "sea", "Persian Gulf", ("Arabian Gulf",), "", 26.5, 52.5, 0),
    (-106700, "sea", "Adriatic Sea", ("Adriatic",), "", 43.0, 15.0, 0),
    (-106800, "sea", "Aegean Sea", ("Aegean",), "", 39.0, 25.0, 0),
    (-106900, "sea", "Arabian Sea", (), "", 15.0, 65.0, 0),
    (-107000, "sea", "Sea of Japan", (), "", 40.0, 135.0, 0),
    (-107100, "sea", "Yellow Sea", (), "", 35.0, 123.0, 0),
    (-107200, "sea", "Tasman Sea", (), "", -40.0, 160.0, 0),
    (-107300, "sea", "English Channel", (), "", 50.2, -1.0, 0),
    (-107400, "sea", "Strait of Hormuz", (), "", 26.6, 56.3, 0),
    (-107500, "sea", "Gulf of Aden", (), "", 12.0, 48.0, 0),
    (-107600, "sea", "Bay of Bengal", (), "", 15.0, 88.0, 0),
    (-107700, "sea", "Irish Sea", (), "", 53.5, -5.0, 0),
    (-107800, "sea", "Bering Sea", (), "", 58.0, -178.0, 0),
    (-107900, "sea", "Taiwan Strait", (), "", 24.0, 119.5, 0),
)


#: Ids of :data:`MACRO_PLACES` rows are at or below this (the data file's own negative region ids
#: are above it); their regions are not penalised for sharing a city's name.
MACRO_ID_CEILING = -100_000


def _macro_rows() -> list[str]:
    """:data:`MACRO_PLACES` as gazetteer rows (same columns as the data file)."""
    rows = []
    for gid, kind, name, others, cc, lat, lon, pop in MACRO_PLACES:
        keys = sorted({normalise_name(n) for n in (name, *others)} - {""})
        rows.append(
            "\t".join(
                [str(gid), kind, name, "|".join(keys), cc, "", "", str(lat), str(lon), str(pop)]
            )
        )
    return rows


# Weight of agreement with the countries of the article's other places: enough to pick Kharkiv
# in Ukraine over a namesake, not to make a small US town outrank Paris or Warsaw.
_CONTEXT_WEIGHT = 2.5
# Cities of half a million or more are what news means by their names, whatever the context.
_WORLD_CITY_POPULATION = 500_000
_WORLD_CITY_BONUS = 1.5


class Gazetteer:
    """Name -> places index over the bundled GeoNames extract."""

    def __init__(self, path: Path | str = GAZETTEER_PATH, expected_sha256: str | None = None):
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as err:
            raise ModelError(
                f"gazetteer file missing: {path}",
                hint="reinstall unspun or rebuild it with `python scripts/build_gazetteer.py`",
            ) from err
        expected = GAZETTEER_SHA256 if expected_sha256 is None else expected_sha256
        digest = hashlib.sha256(raw).hexdigest()
        if digest != expected:
            raise ModelError(
                f"gazetteer file {path.name} fails its sha256 check ({digest[:12]}… != {expected[:12]}…)",
                hint="the file is corrupt or was rebuilt; reinstall unspun, or update GAZETTEER_SHA256 "
                "in unspun/gazetteer.py to the value printed by scripts/build_gazetteer.py",
            )
        lines = gzip.decompress(raw).decode("utf-8").split("\n")
        if lines and lines[0].startswith("geonames_id"):
            lines = lines[1:]
        self._rows: list[str] = [line for line in lines if line] + _macro_rows()
        self._entries: dict[int, GazetteerEntry] = {}
        index: dict[str, int | list[int]] = {}
        for row_number, line in enumerate(self._rows):
            keys = line.split("\t", 4)[3]
            for key in keys.split("|"):
                seen = index.get(key)
                if seen is None:
                    index[key] = row_number
                elif isinstance(seen, int):
                    if seen != row_number:
                        index[key] = [seen, row_number]
                elif seen[-1] != row_number:
                    seen.append(row_number)
        self._index = index
        self.sha256 = digest
        self._demonyms: dict[str, int] | None = None

    def demonym_country(self, word: str) -> GazetteerEntry | None:
        """The country whose demonym or adjective ``word`` is ('Ukrainian' -> Ukraine), else None.

        Forms are derived from the one-word English names of the bundled countries with suffix
        rules (see :func:`demonym_forms`) plus a few irregular ones; the table is built on first use.
        """
        if self._demonyms is None:
            with _LOCK:
                if self._demonyms is None:
                    self._demonyms = self._build_demonyms()
        row = self._demonyms.get(normalise_name(word))
        return None if row is None else self._entry(row)

    def _build_demonyms(self) -> dict[str, int]:
        table: dict[str, int] = {}
        country_row = {}
        for row_number, line in enumerate(self._rows):
            if "\tcountry\t" not in line:
                continue
            _gid, kind, _name, keys, cc = line.split("\t", 5)[:5]
            if kind != "country":
                continue
            country_row[cc] = row_number
            for key in keys.split("|"):
                if " " not in key:
                    for form in demonym_forms(key):
                        table.setdefault(form, row_number)
        for form, cc in IRREGULAR_DEMONYMS.items():
            if cc in country_row:
                table[form] = country_row[cc]
        # a derived form that is also some country's own name is that country, not an adjective
        for key in [k for k in table if k in self._index and self._kind_is_country(k)]:
            del table[key]
        return table

    def _kind_is_country(self, key: str) -> bool:
        return any(e.kind == "country" for e in self._lookup_key(key))

    def __len__(self) -> int:
        return len(self._rows)

    def _entry(self, row_number: int) -> GazetteerEntry:
        entry = self._entries.get(row_number)
        if entry is None:
            gid, kind, name, _keys, cc, country, admin1, lat, lon, pop = self._rows[
                row_number
            ].split("\t")
            entry = GazetteerEntry(
                int(gid), kind, name, cc, country, admin1, float(lat), float(lon), int(pop)
            )
            self._entries[row_number] = entry
        return entry

    def _lookup_key(self, key: str) -> list[GazetteerEntry]:
        rows = self._index.get(key)
        if rows is None:
            return []
        if isinstance(rows, int):
            return [self._entry(rows)]
        return [self._entry(r) for r in rows]

    def lookup(self, name: str) -> list[GazetteerEntry]:
        """Every place called ``name`` (case-, diacritic- and 'the '-insensitive; possessive 's ignored).

        "Kyiv Oblast" / "Donetsk region" also find the region called "Kyiv" / "Donetsk".
        """
        key = normalise_name(strip_possessive(name))
        if not key:
            return []
        found = self._lookup_key(key)
        head, _, last = key.rpartition(" ")
        if head and last in _REGION_SUFFIXES:
            # "Kyiv Oblast" / "Donetsk region" mean the region even though the cities exist
            regions = [e for e in self._lookup_key(head) if e.kind == "region"]
            found = regions or found
        return sorted(found, key=lambda e: (-e.population, e.geonames_id))

    def resolve(self, name: str, context_countries: Counter | None = None) -> Resolution | None:
        """The most likely place called ``name``, or None if the gazetteer does not know the name.

        Candidates are scored by kind (country > region > city), log-population, and agreement
        with ``context_countries`` (country codes of the article's other places, with counts).
        Confidence is the winner's share of the softmax over candidate scores, so a unique name
        scores 1 and an evenly split ambiguity scores about 1/n.
        """
        candidates = self.lookup(name)
        if not candidates:
            return None
        total_context = sum(context_countries.values()) if context_countries else 0
        scored = []
        key = normalise_name(strip_possessive(name))
        big_city_countries = {
            e.country_code
            for e in candidates
            if e.kind == "city"
            and e.population >= 100_000
            # "Oklahoma" is the state, not Oklahoma City (a city that is the name plus "City",
            # under a million people); "New York" stays the city, "Kiev" the city
            and not (normalise_name(e.name) == f"{key} city" and e.population < 1_000_000)
        }
        for entry in candidates:
            score = _score(entry, context_countries, total_context, big_city_countries)
            scored.append((score, entry))
        scored.sort(key=lambda item: (-item[0], -item[1].population, item[1].geonames_id))
        best_score, best = scored[0]
        weights = [math.exp(score - best_score) for score, _ in scored]
        confidence = 1.0 / sum(weights)
        reasons = [best.kind]
        if context_countries and context_countries.get(best.country_code):
            reasons.append(f"context {best.country_code}")
        if len(scored) > 1:
            reasons.append(f"{len(scored)} candidates")
        else:
            reasons.append("unique name")
        return Resolution(best, round(confidence, 4), "; ".join(reasons), len(scored))


def _score(
    entry: GazetteerEntry,
    context: Counter | None,
    total_context: int,
    big_city_countries: set[str],
) -> float:
    """Score one candidate: kind bonus + log10(population) + context agreement."""
    score = _KIND_BONUS.get(entry.kind, 0.0) + math.log10(max(entry.population, 1))
    if entry.kind == "city" and entry.population >= _WORLD_CITY_POPULATION:
        score += _WORLD_CITY_BONUS
    if (
        entry.kind == "region"
        and entry.geonames_id > MACRO_ID_CEILING
        and entry.country_code in big_city_countries
    ):
        # "Kiev" names both a city of 2.9M and the oblast around it; news means the city unless
        # it says "Kiev region"/"Kiev Oblast" (lookup() handles those suffixes).
        score -= 3.0
    if context and total_context:
        share = context.get(entry.country_code, 0) / total_context
        if share:
            score += _CONTEXT_WEIGHT * (0.5 + 0.5 * share)
    return score


_GAZETTEER: Gazetteer | None = None
_LOCK = threading.Lock()


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use."""
    global _GAZETTEER
    if _GAZETTEER is None:
        with _LOCK:
            if _GAZETTEER is None:
                _GAZETTEER = Gazetteer()
    return _GAZETTEER
