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
# of the same name but not the namesake city (handled in _score).
_KIND_BONUS = {"country": 3.0, "region": 1.0, "city": 0.0}
# Weight of agreement with the countries of the article's other places.
_CONTEXT_WEIGHT = 4.0


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
        self._rows: list[str] = [line for line in lines if line]
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
        big_city_countries = {
            e.country_code for e in candidates if e.kind == "city" and e.population >= 100_000
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
    if entry.kind == "region" and entry.country_code in big_city_countries:
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
