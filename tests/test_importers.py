"""The actor dictionary importers: PETRARCH/TABARI dictionaries, Wikidata SPARQL results, the user file merge."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import private_user_files
from eventcoder.actors._importers import (
    TWO_DIGIT_YEAR_PIVOT,
    import_petrarch,
    import_petrarch_verbs,
    import_wikidata,
    merge_triggers_file,
    merge_user_file,
    register_cli,
)
from eventcoder.errors import EventcoderError

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DICTS = SHARED / "reference" / "petrarch_dictionaries"


def _dict(name: str) -> Path:
    path = DICTS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent: the shared reference folder sits beside the repository (../shared)")
    return path


@pytest.fixture(autouse=True)
def _private_user_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user actor and trigger files and knowledge-base cache."""
    return private_user_files(tmp_path, monkeypatch) / "actors.yaml"


def _person(data: dict[str, Any], name: str) -> dict[str, Any]:
    for p in data["people"]:
        if p["name"] == name:
            return p
    raise AssertionError(f"{name} not imported")


def _code_on(person: dict[str, Any], day: str) -> str | None:
    for r in person["roles"]:
        if (r["start"] or "0000") <= day <= (r["end"] or "9999"):
            return r["code"]
    return None


def _terms(data: dict[str, Any], sector: str) -> list[str]:
    return data["agents"].get(sector, {}).get("terms", [])


# ----------------------------------------------------------------------------------- small inputs


def test_format_features(tmp_path: Path) -> None:
    src = tmp_path / "tiny.actors.txt"
    src.write_text(
        "<!-- a comment\n"
        "   spanning lines -->\n"
        "# a line comment\n"
        "FREEDONIA_ [FRD] # trailing comment\n"
        "+FREEDONIAN\n"
        "FREEDONIAN_ARMY [FRDMIL]\n"
        "RUFUS_T._FIREFLY_\n"
        "+FIREFLY\n"
        "\t[FRDELI 330101-331231]\n"
        "\t[FRDGOV 340101-351231]\n"
        "\t[FRDGOV >991231]\n"
        "\t[FRDELI]\n"
        "TRENTINO [SYLGOV <331231] [SYL]\n"
        "ZEMBLA\n\t[ZMB <791231]\n\t[ZMX >800101]\n"
        "BROKEN [FRD 99x]\n"
        "NOBODY [---]\n"
        "+ORPHAN\n"
        "\t[XXX 010101-000101]\n"
        "!WORKER! = MAN, MEN\n"
        "GUARDS!WORKER! [~MIL]\n"
        "CHANCELLOR {CHANCELLORS} [~GOVEXE]\n"
        "AID_AGENCY [NGO~]\n",
        encoding="utf-8",
    )
    data = import_petrarch([src])
    countries = {c["code"]: c for c in data["countries"]}
    assert countries["FRD"]["names"] == ["Freedonia", "Freedonian"]
    army = next(a for a in data["actors"] if a["code"] == "FRDMIL")
    assert army == {"name": "Freedonian Army", "aliases": [], "code": "FRDMIL", "country": "FRD", "sector": "MIL"}

    firefly = _person(data, "Rufus T. Firefly")
    assert firefly["aliases"] == ["Firefly"]
    # two-digit years: 33 -> 1933, 99 -> 1999; the default code fills the gaps
    assert _code_on(firefly, "1933-06-01") == "FRDELI"
    assert _code_on(firefly, "1935-06-01") == "FRDGOV"
    assert _code_on(firefly, "1980-01-01") == "FRDELI"
    assert _code_on(firefly, "2005-01-01") == "FRDGOV"
    assert firefly["roles"][-1]["end"] is None

    # inline dated codes (the older TABARI layout)
    trentino = _person(data, "Trentino")
    assert _code_on(trentino, "1930-01-01") == "SYLGOV"
    assert _code_on(trentino, "1950-01-01") == "SYL"
    # a place whose code changed becomes a country name under the code in force now
    assert countries["ZMX"]["names"] == ["Zembla"]
    assert not any(p["name"] == "Zembla" for p in data["people"])

    assert _terms(data, "MIL") == ["guardsman", "guardsmen"]
    assert _terms(data, "GOV") == ["chancellor", "chancellors"]  # multi-part code -> its first sector
    assert _terms(data, "NGO") == ["aid agency"]
    stats = data["_stats"]
    assert stats["warnings"] == 2  # the bad date and the inverted range
    assert stats["null_coded"] == 1
    assert not any(p["name"] in ("Nobody", "Orphan") for p in data["people"])


def test_two_digit_year_pivot() -> None:
    assert TWO_DIGIT_YEAR_PIVOT == 30


def test_malformed_lines_never_crash(tmp_path: Path) -> None:
    src = tmp_path / "bad.txt"
    src.write_bytes(
        b"[ORPHANCODE]\n+ORPHAN_SYNONYM\nNAME [UNCLOSED\n+NOT_AN_AGENT\nOTHER [~]\nX {unclosed [~GOV]\n"
        b"LATIN1_\xe9T\xc9 [FRA]\nGOOD [GDD]\n!BROKEN = A\nUSE!MISSING! [~GOV]\nLAST_WITHOUT_CODE\n"
    )
    data = import_petrarch([src])
    assert data["_stats"]["warnings"] >= 6
    codes = {c["code"] for c in data["countries"]}
    assert {"GDD", "FRA"} <= codes
    assert data["people"] == [] and data["actors"] == [] and data["agents"] == {}


def test_unreadable_file_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(EventcoderError, match="missing.txt"):
        import_petrarch([tmp_path / "missing.txt"])
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(EventcoderError, match="bad.json"):
        import_wikidata(bad)


# ------------------------------------------------------------------------------ the real dictionaries


def test_petr_validate_dictionaries() -> None:
    data = import_petrarch([_dict("PETR.Validate.actors.txt"), _dict("PETR.Validate.agents.txt")])
    countries = {c["code"]: c for c in data["countries"]}
    assert "Arnor" in countries["ARN"]["names"]
    assert {"Gondor", "Minas Tirith", "Anorien"} <= set(countries["GON"]["names"])
    assert "Australian" in countries["AUS"]["names"]
    gollum = _person(data, "Gollum")
    assert {"Smeagol", "Slinker", "Stinker"} <= set(gollum["aliases"])
    assert _code_on(gollum, "1992-01-02") == "HOB"
    assert _code_on(gollum, "1995-11-01") == "HOBGOV"
    assert _code_on(gollum, "2001-01-01") == "HOBREB"
    sam = _person(data, "Sam Gamgee")
    # the first matching restriction wins: ORCHOB overrides the HOBMIL period around it
    assert _code_on(sam, "2010-01-06") == "HOBMIL"
    assert _code_on(sam, "2010-01-10") == "ORCHOB"
    assert _code_on(sam, "2010-01-13") == "HOBMIL"
    assert _code_on(sam, "2008-01-19") == "HOBCIV"
    hamfast = _person(data, "Hamfast Gamgee")
    assert _code_on(hamfast, "2012-11-09") == "HOBGOV"
    assert _code_on(hamfast, "2014-01-04") == "HOB"
    assert "president" in _terms(data, "GOV")
    assert "foreign minister" in _terms(data, "GOV")  # [~GOVFRM]
    assert {"congressman", "congresswomen"} <= set(_terms(data, "LEG"))  # !PERSON! substitution
    assert {"golden goose", "golden geese"} <= set(_terms(data, "GGS"))
    assert not any(a["name"] == "Boromir" for a in data["actors"])  # [---] is not coded


def test_phoenix_countries_is_fast_and_dates_putin() -> None:
    path = _dict("Phoenix.Countries.actors.txt")
    start = time.perf_counter()
    data = import_petrarch([path])
    assert time.perf_counter() - start < 15  # a few seconds on a developer machine
    putin = _person(data, "Vladimir Putin")
    assert {"Putin", "President Vladimir Putin"} <= set(putin["aliases"])
    assert _code_on(putin, "1995-01-01") == "RUSELI"
    assert _code_on(putin, "2005-06-01") == "RUSGOV"
    assert _code_on(putin, "2015-06-01") == "RUSGOV"
    assert putin["roles"][-1]["end"] is None
    assert all(r["country"] == "RUS" for r in putin["roles"])
    zahir = _person(data, "Mohammad Zahir Shah")  # [AFGGOV 331108-730717]: 1933..1973
    assert _code_on(zahir, "1950-01-01") == "AFGGOV"
    assert _code_on(zahir, "1980-01-01") == "AFGELI"
    countries = {c["code"]: c for c in data["countries"]}
    assert "Kabul" in countries["AFG"]["names"]
    assert countries["AFG"]["region"]  # packaged facts are kept
    assert "Leipzig" in countries["DEU"]["names"]  # [DDR 491007-901003] [DEU >19901003]: a place, not a person
    assert data["_stats"]["people"] > 10000


def test_phoenix_other_dictionaries() -> None:
    data = import_petrarch([
        _dict("Phoenix.International.actors.txt"),
        _dict("Phoenix.MilNonState.actors.txt"),
        _dict("Phoenix.agents.txt"),
    ])
    actors = {a["name"]: a for a in data["actors"]}
    assert actors["United Nations"]["code"] == "IGOUNO"
    assert "country" not in actors["United Nations"]
    assert actors["Abu Nidal Organization"]["code"] == "IMGMUSALQ"
    assert "farmer" in _terms(data, "AGR")
    assert "cattleman" in _terms(data, "AGR")
    assert "president" in _terms(data, "GOV")
    assert "police" in _terms(data, "COP")
    assert data["agents"]["GOV"]["name"] == "government"


# ------------------------------------------------------------------------------------------ Wikidata


def _sparql(tmp_path: Path) -> Path:
    def uri(q: str) -> dict[str, str]:
        return {"type": "uri", "value": f"http://www.wikidata.org/entity/{q}"}

    def lit(v: str) -> dict[str, str]:
        return {"type": "literal", "value": v, "xml:lang": "en"}

    def when(v: str) -> dict[str, str]:
        return {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#dateTime", "value": v}

    rows = [
        {"person": uri("Q3052772"), "personLabel": lit("Emmanuel Macron"), "position": uri("Q191954"),
         "positionLabel": lit("President of the French Republic"), "countryCode": lit("FRA"),
         "start": when("2017-05-14T00:00:00Z"), "altLabels": lit("Macron|Emmanuel Jean-Michel Frédéric Macron")},
        {"person": uri("Q3052772"), "personLabel": lit("Emmanuel Macron"), "position": uri("Q1"),
         "positionLabel": lit("Minister of the Economy"), "countryCode": lit("FRA"),
         "start": when("2014-08-26T00:00:00Z"), "end": when("2016-08-30T00:00:00Z")},
        {"item": uri("Q2"), "itemLabel": lit("Jane Example"), "officeLabel": lit("Chief of the General Staff"),
         "iso3": lit("NOR"), "startTime": when("2020-01-01T00:00:00Z")},
        {"person": uri("Q3"), "personLabel": lit("John Example"), "positionLabel": lit("judge of the Supreme Court"),
         "country": uri("Q183"), "start": when("2019-03-01T00:00:00Z")},
        {"person": uri("Q4"), "personLabel": lit("Ann Example"), "positionLabel": lit("member of the Bundestag"),
         "countryLabel": lit("Germany"), "start": when("2021-10-26T00:00:00Z"),
         "aliases": lit("A. Example, Annie Example")},
        {"person": uri("Q5"), "personLabel": lit("Bo Example"), "positionLabel": lit("Minister of Defence"),
         "countryCode": lit("SWE"), "start": when("2014-10-03T00:00:00Z"),
         "end": {"type": "bnode", "value": "t123"}},
        {"person": uri("Q6"), "personLabel": lit("No Country"), "positionLabel": lit("mayor")},
    ]
    path = tmp_path / "positions.json"
    doc = {"head": {"vars": sorted({k for r in rows for k in r})}, "results": {"bindings": rows}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_import_wikidata(tmp_path: Path) -> None:
    data = import_wikidata(_sparql(tmp_path))
    macron = _person(data, "Emmanuel Macron")
    assert macron["wikidata"] == "Q3052772"
    assert "Macron" in macron["aliases"]
    assert macron["roles"] == [
        {"country": "FRA", "role": "minister_of_the_economy", "start": "2014-08-26", "end": "2016-08-30",
         "code": "FRAGOV"},
        {"country": "FRA", "role": "head_of_state", "start": "2017-05-14", "end": None, "code": "FRAGOV"},
    ]
    assert _person(data, "Jane Example")["roles"][0]["code"] == "NORMIL"
    assert _person(data, "John Example")["roles"][0]["code"] == "DEUJUD"  # country item Q183 -> DEU
    ann = _person(data, "Ann Example")
    assert ann["roles"][0]["code"] == "DEULEG"
    assert ann["aliases"] == ["A. Example", "Annie Example"]
    bo = _person(data, "Bo Example")["roles"][0]
    assert (bo["role"], bo["code"], bo["end"]) == ("defence_minister", "SWEGOV", None)
    assert data["_stats"]["warnings"] == 1  # the row without a country
    assert not any(p["name"] == "No Country" for p in data["people"])


def test_import_wikidata_simple_json(tmp_path: Path) -> None:
    """The query service's flat "JSON file" download: a list of objects with string values."""
    path = tmp_path / "simple.json"
    path.write_text(json.dumps([
        {"person": "http://www.wikidata.org/entity/Q7747", "personLabel": "Vladimir Putin",
         "positionLabel": "President of Russia", "country": "http://www.wikidata.org/entity/Q159",
         "start": "2012-05-07T00:00:00Z"},
    ]), encoding="utf-8")
    putin = _person(import_wikidata(path), "Vladimir Putin")
    assert putin["wikidata"] == "Q7747"
    assert putin["roles"] == [{"country": "RUS", "role": "head_of_state", "start": "2012-05-07", "end": None,
                               "code": "RUSGOV"}]


# --------------------------------------------------------------------------------------------- merge


def test_merge_is_idempotent_and_replaces(tmp_path: Path, _private_user_files: Path) -> None:
    data = import_wikidata(_sparql(tmp_path))
    path = merge_user_file(data)
    assert path == _private_user_files
    first = path.read_bytes()
    assert first.startswith(b"#")
    merge_user_file(data)
    assert path.read_bytes() == first
    assert not list(path.parent.glob("*.tmp"))

    # a re-import with a changed entry replaces it; other entries stay
    changed = {"people": [{"name": "Ann Example", "aliases": [], "wikidata": "Q4",
                           "roles": [{"country": "DEU", "role": "x", "start": None, "end": None, "code": "DEUGOV"}]}],
               "agents": {"GOV": {"name": "government", "terms": ["grand vizier"]}}}
    merge_user_file(changed)
    text = yaml.safe_load(path.read_text(encoding="utf-8"))
    anns = [p for p in text["people"] if p["name"] == "Ann Example"]
    assert len(anns) == 1 and anns[0]["roles"][0]["code"] == "DEUGOV"
    assert len(text["people"]) == 5
    assert "_stats" not in text
    merge_user_file({"agents": {"MIL": {"terms": ["grand vizier"]}}})
    text = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert text["agents"]["MIL"]["terms"] == ["grand vizier"]
    assert "GOV" not in text["agents"] or "grand vizier" not in text["agents"]["GOV"]["terms"]


def test_merge_petrarch_twice(tmp_path: Path) -> None:
    data = import_petrarch([_dict("PETR.Validate.actors.txt"), _dict("PETR.Validate.agents.txt")])
    out = tmp_path / "elsewhere" / "actors.yaml"
    merge_user_file(data, out)
    first = out.read_bytes()
    merge_user_file(import_petrarch([_dict("PETR.Validate.actors.txt"), _dict("PETR.Validate.agents.txt")]), out)
    assert out.read_bytes() == first


def test_merge_rejects_a_broken_user_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(EventcoderError, match="broken.yaml"):
        merge_user_file({"actors": []}, bad)


# ---------------------------------------------------------------------------------------- end to end


def test_knowledge_base_sees_imported_phrases() -> None:
    data = import_petrarch([_dict("PETR.Validate.actors.txt"), _dict("PETR.Validate.agents.txt")])
    merge_user_file(data)
    from eventcoder.actors import load_kb

    kb = load_kb(lambda s: s.split(), "test")
    assert any(e.kind == "country" and e.ref == "ARN" for e in kb.lookup(("arnor",)))
    assert any(e.kind == "country" and e.ref == "GON" for e in kb.lookup(("minas", "tirith")))
    smeagol = [e for e in kb.lookup(("smeagol",)) if e.kind == "person"]
    assert smeagol
    person = kb.people[int(smeagol[0].ref)]
    assert any(r.code == "HOBGOV" and r.start == "1995-06-02" for r in person.roles)
    sam = [e for e in kb.lookup(("sam", "gamgee")) if e.kind == "person"]
    assert len(sam) == 1  # one person, although one of his codes is ORCHOB
    assert any(r.code == "ORCHOB" and r.start == "2010-01-09" for r in kb.people[int(sam[0].ref)].roles)
    assert any(e.kind == "agent" and e.ref == "GOV" for e in kb.lookup(("president",)))
    assert any(e.kind == "org" and e.ref == "PSEREBHMS" for e in kb.lookup(("hamas",)))
    assert kb.sectors.get("GOV") == "government"


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="eventcoder")
    register_cli(parser.add_subparsers(dest="command", required=True))
    out = tmp_path / "cli.yaml"
    args = parser.parse_args(["actors", "import-wikidata", str(_sparql(tmp_path)), "--output", str(out)])
    assert args.func(args) == 0
    line = capsys.readouterr().out.strip()
    assert "\n" not in line
    assert "5 people" in line and str(out) in line
    src = tmp_path / "tiny.txt"
    src.write_text("ERIADOR [ERI]\nPRESIDENT [~GOV]\n", encoding="utf-8")
    args = parser.parse_args(["actors", "import-petrarch", str(src), "-o", str(out)])
    assert args.func(args) == 0
    line = capsys.readouterr().out
    assert "imported 1 actors" in line and "1 agent terms" in line
    saved = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert len(saved["people"]) == 5 and saved["agents"]["GOV"]["terms"] == ["president"]
    args = parser.parse_args(["actors", "import-petrarch", str(tmp_path / "nope.txt")])
    with pytest.raises(EventcoderError, match="nope.txt"):
        args.func(args)


# ------------------------------------------------------------------------------------ PETRARCH verbs

_TINY_VERBS = (
    "<!-- a small verbs dictionary written for the tests\n"
    "     in the layout of TABARI and PETRARCH verb dictionaries -->\n"
    "&DEALS\n"
    "+TRADE_PACT\n"
    "+ACCORD\n"
    "\n"
    "&NEGATIVE_\n"
    "+NOT\n"
    "+NEVER\n"
    "\n"
    "--- PLEDGE  [050] ---\n"
    "PLEDGE  {PLEDGES PLEDGED}   # a line comment\n"
    "- * &DEALS  [057]\n"
    "- * WITH +  [036]\n"
    "- * HELP TO +  [070]\n"
    "- * FUNDS  [071:072]\n"
    "- &NEGATIVE * [---]\n"
    "- ANNOUNCED *  [010]\n"
    "- + * FROM $  [061]\n"
    "- * THE ^ FOR +  [073]\n"
    "- * AT ^ +  [074]\n"
    "- PLAN_TO_*  [075]\n"
    "\n"
    "--- STORM_OFF  [---] ---\n"
    "+STORM_OFF {+STORMED_OFF +STORMING_OFF}\n"
    "- * IN PROTEST  [120]\n"
    "\n"
    "--- GREET  [999] ---\n"
    "GREET\n"
    "HAIL [041]\n"
    "- * WARMLY  [042]\n"
    "- * WARMLY  [043]\n"
    "- * PARTY  [+++]\n"
    "- * CROWD  [###]\n"
    "- * &UNDEFINED  [040]\n"
)


def _patterns(data: dict[str, Any]) -> set[tuple[str, str]]:
    return {(code, p) for code, ps in data.items() if not code.startswith("_") for p in ps}


def test_verbs_conversion(tmp_path: Path) -> None:
    src = tmp_path / "tiny.verbs.txt"
    src.write_text(_TINY_VERBS, encoding="utf-8")
    data = import_petrarch_verbs([src])
    got = _patterns(data)
    assert {
        ("050", "pledge"),  # the verb alone, under the block's code
        ("057", "pledge trade pact"), ("057", "pledge accord"),  # a synset, one pattern per member
        ("036", "pledge [with]"),  # a preposition before the target marker names the target
        ("070", "pledge help [to]"),
        ("071", "pledge fund"),  # a paired code keeps its first half; words are lemmatised
        ("073", "pledge [for]"),  # articles and skipped phrases (^) before a target preposition
        ("---", "pledge not"), ("---", "pledge never"),  # the null code claims the words
        ("---", "storm off"), ("120", "storm off in protest"),  # a multi-word verb
        ("---", "greet"),  # a code outside CAMEO codes nothing
        ("041", "hail"),  # a verb line's own code
        ("042", "greet warmly"), ("042", "hail warmly"),  # the first of two equal patterns wins
    } <= got
    assert not {p for c, p in got if c in ("043", "061", "010", "074", "075", "040")}
    assert not any("party" in p or "crowd" in p for _, p in got)
    # the null code comes last: a coded pattern wins an equally good match
    assert [c for c in data if not c.startswith("_")][-1] == "---"
    stats = data["_stats"]
    assert (stats["blocks"], stats["verbs"], stats["pattern_lines"]) == (3, 4, 16)
    assert stats["skipped"] == {"a governing word before the verb": 2, "code +++ or ###": 2,
                                "target after a skipped phrase": 1, "target before the verb": 1,
                                "undefined synset": 1}
    assert stats["paired_codes"] == 1 and stats["duplicates"] == 2
    # every pattern is in the grammar of the built-in lexicon
    from eventcoder.events._triggers import parse_pattern

    assert all(parse_pattern(c, p) is not None for c, p in got)


def test_verbs_target_prepositions_from_the_built_in_lexicon(tmp_path: Path) -> None:
    """PETRARCH's target may be a prepositional object; the importer names the prepositions the built-in
    lexicon knows for the verb, and directional ones for a verb it never uses with a direct object."""
    src = tmp_path / "prep.verbs.txt"
    src.write_text("--- DEPART [032] ---\nDEPART\n\n--- RESTORE [064] ---\nRESTORE\n- * TIES [064]\n",
                   encoding="utf-8")
    got = _patterns(import_petrarch_verbs([src]))
    assert ("064", "restore tie [with]") in got and ("064", "restore tie") in got
    depart = [p for c, p in got if p.startswith("depart [")]
    assert len(depart) == 1 and {"for", "from", "to"} <= set(depart[0][8:-1].split("|"))


def test_petr_validate_verbs() -> None:
    from eventcoder.events._triggers import parse_pattern

    data = import_petrarch_verbs([_dict("PETR.Validate.verbs.txt")])
    stats = data["_stats"]
    assert stats["pattern_lines"] == 474  # every "- pattern [code]" line
    assert stats["blocks"] == 261
    assert 400 <= stats["patterns"] <= 1500 and stats["null_patterns"] > 100
    assert 50 <= stats["skipped_total"] <= 250  # patterns the grammar cannot express
    got = _patterns(data)
    assert all(parse_pattern(c, p) is not None for c, p in got)
    assert ("064", "restore diplomatic") in got and ("064", "restore tie [with]") in got
    assert ("041", "welcome") in got
    assert ("023", "say") in got  # SAID: the lemma of the form
    assert ("032", "leave") in got and ("012", "leave") not in got  # LEFT, read after LEAVE, decides
    assert ("171", "break") in got and ("171", "break down") in got  # 1717 -> its CAMEO parent 171
    assert ("---", "abandon") in got  # ABANDON [345] is not a CAMEO code
    assert ("1721", "cordon off") in got and ("1721", "cordone off") in got  # the parser's lemma of "cordoned"


def test_merge_triggers_file(tmp_path: Path) -> None:
    src = tmp_path / "tiny.verbs.txt"
    src.write_text(_TINY_VERBS, encoding="utf-8")
    out = tmp_path / "user" / "triggers.yaml"
    out.parent.mkdir()
    out.write_text('"042": [visit, hobnob]\n"---": [greet happily]\n_intent: {covet: "030"}\n', encoding="utf-8")
    path = merge_triggers_file(import_petrarch_verbs([src]), out)
    assert path == out
    first = out.read_bytes()
    assert first.startswith(b"#")
    saved = yaml.safe_load(first)
    assert saved["042"][:2] == ["visit", "hobnob"]  # other heads stay
    assert "greet happily" not in saved["---"]  # an imported head replaces the file's patterns of that head
    assert saved["_intent"] == {"covet": "030"} and "_stats" not in saved
    assert list(saved)[-2:] == ["---", "_intent"]
    merge_triggers_file(import_petrarch_verbs([src]), out)
    assert out.read_bytes() == first  # idempotent
    merge_triggers_file({"043": ["visit"]}, out, builtin_patterns=False)
    saved = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert saved["042"] == [p for p in saved["042"] if not p.startswith("visit")] and saved["043"] == ["visit"]
    assert saved["_builtin_patterns"] is False
    bad = tmp_path / "bad.yaml"
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(EventcoderError, match="bad.yaml"):
        merge_triggers_file({}, bad)


def test_cli_routes_verbs_files(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    parser = argparse.ArgumentParser(prog="eventcoder")
    register_cli(parser.add_subparsers(dest="command", required=True))
    verbs = tmp_path / "tiny.verbs.txt"
    verbs.write_text(_TINY_VERBS, encoding="utf-8")
    actors = tmp_path / "tiny.txt"
    actors.write_text("ERIADOR [ERI]\nPRESIDENT [~GOV]\n", encoding="utf-8")
    out, trig = tmp_path / "a.yaml", tmp_path / "t.yaml"
    args = parser.parse_args(["actors", "import-petrarch", str(verbs), str(actors), "-o", str(out),
                              "--triggers-output", str(trig)])
    assert args.func(args) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and "imported 1 actors" in lines[0]
    assert "trigger patterns" in lines[1] and str(trig) in lines[1]
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["countries"][0]["code"] == "ERI"
    assert ("050", "pledge") in _patterns(yaml.safe_load(trig.read_text(encoding="utf-8")))
    # a verbs file alone leaves the actor file alone; the default trigger file is $EVENTCODER_TRIGGERS
    monkeypatch.setenv("EVENTCODER_TRIGGERS", str(tmp_path / "env.yaml"))
    args = parser.parse_args(["actors", "import-petrarch", str(verbs), "--only-imported-triggers"])
    assert args.func(args) == 0
    assert "env.yaml" in capsys.readouterr().out
    assert yaml.safe_load((tmp_path / "env.yaml").read_text(encoding="utf-8"))["_builtin_patterns"] is False
