"""The event store: idempotent writes, replacement, crash safety, deduplication and queries (real DuckDB files)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import eventcoder.store as store_pkg
from eventcoder.model import Actor, Document, Event, Evidence, Location, Modality
from eventcoder.store import DedupSettings, DuckDBStore, Store, cluster_mentions, flatten_record, open_store
from eventcoder.store._dedup import ROW_FIELDS

SRC = str(Path(store_pkg.__file__).resolve().parents[2])


def actor(code: str | None, text: str | None = None, name: str | None = None) -> Actor:
    country = code[:3] if code else None
    sector = code[3:6] if code and len(code) > 3 else None
    return Actor(text=text or code or "someone", code=code, country=country, sector=sector, name=name)


def make_event(doc_id: str, src: str | None = "FRAGOV", tgt: str | None = "DEUGOV", cameo: str = "042",
               plover: str | None = "CONSULT", quad: int = 1, goldstein: float = 1.9, date: str | None = "2021-03-04",
               precision: str = "day", place: Location | None = None, sentence: int = 0, conf: float = 0.7,
               text: str | None = None, modality: Modality | None = None) -> Event:
    evidence = text or f"{src} met {tgt} in a sentence of {doc_id}."
    return Event(
        doc_id=doc_id, sentence_index=sentence, evidence=Evidence(evidence, 0, len(evidence)), trigger="met",
        cameo=cameo, cameo_root=cameo[:2], plover=plover, quad_class=quad, goldstein=goldstein, confidence=conf,
        source=[actor(src)] if src else [], target=[actor(tgt)] if tgt else [], trigger_start=4, trigger_end=7,
        rule="test", date=date, date_precision=precision if date else "unknown",
        date_source="text" if date else None, location=place, modality=modality or Modality(),
    )


def doc(doc_id: str, text: str | None = None, date: str | None = "2021-03-04", source: str | None = None,
        url: str | None = None) -> Document:
    return Document(id=doc_id, text=text or f"The text of {doc_id}.", date=date, source=source, url=url,
                    title=f"Title {doc_id}")


BERLIN = Location(name="Berlin", country="DEU", lat=52.52, lon=13.40, geonames_id=2950159, precision="city")
PARIS = Location(name="Paris", country="FRA", lat=48.85, lon=2.35, geonames_id=2988507, precision="city")


@pytest.fixture
def store(tmp_path: Path):
    s = open_store(tmp_path / "events.duckdb")
    yield s
    s.close()


def counts(s: Store) -> tuple[int, int, int]:
    return s.count("documents"), s.count("mentions"), s.count("events")


# -- writing ---------------------------------------------------------------------------------------------------


def test_open_store_is_a_store(store: DuckDBStore) -> None:
    assert isinstance(store, Store)
    assert counts(store) == (0, 0, 0)


def test_default_path_comes_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "sub" / "env.duckdb"
    monkeypatch.setenv("EVENTCODER_DB", str(target))
    with open_store() as s:
        assert Path(s.path) == target
    assert target.exists()


def test_coding_the_same_inputs_twice_keeps_row_counts(store: DuckDBStore) -> None:
    pairs = [
        (doc("a"), [make_event("a"), make_event("a", "USAGOV", "RUSGOV", sentence=1)]),
        (doc("b", source="afp"), [make_event("b")]),
        (doc("c", source="bbc"), []),
    ]
    assert store.write_many(pairs, "1.0") == 3
    first = counts(store)
    first_events = store.query()
    assert first == (3, 3, 2)
    assert store.write_many(pairs, "1.0") == 0
    for d, evs in pairs:
        assert store.write(d, evs, "1.0") is False
    assert counts(store) == first
    assert store.query() == first_events


def test_same_text_new_coder_version_replaces_rows(store: DuckDBStore) -> None:
    d = doc("a")
    assert store.write(d, [make_event("a"), make_event("a", sentence=1)], "1.0")
    assert store.has("a", d.content_hash)
    assert store.has("a", d.content_hash, "1.0")
    assert not store.has("a", d.content_hash, "2.0")
    assert store.write(d, [make_event("a")], "2.0")
    assert counts(store) == (1, 1, 1)
    assert store.has("a", d.content_hash, "2.0")
    assert not store.has("a", d.content_hash, "1.0")
    # recode=True forces a rewrite even for the same version
    assert store.write(d, [make_event("a"), make_event("a", sentence=2)], "2.0", recode=True)
    assert counts(store) == (1, 2, 1)


def test_new_content_replaces_the_documents_rows(store: DuckDBStore) -> None:
    store.write(doc("a", "France met Germany."), [make_event("a")], "1.0")
    store.write(doc("b", "Other."), [make_event("b", "USAGOV", "CHNGOV")], "1.0")
    old_event = store.query(source="FRA")[0]
    assert old_event["num_articles"] == 1

    new = doc("a", "Russia attacked Ukraine.")
    assert not store.has("a", new.content_hash)
    assert store.write(new, [make_event("a", "RUSMIL", "UKRMIL", cameo="190", plover="ASSAULT", quad=4,
                                        goldstein=-10.0)], "1.0")
    assert counts(store) == (2, 2, 2)
    mentions = store.query(level="mention")
    assert sorted(m["source_code"] for m in mentions) == ["RUSMIL", "USAGOV"]
    assert store.query(source="FRA") == []  # the old key's event is gone
    assert store.get_event(old_event["event_id"]) is None
    assert store.has("a", new.content_hash)


def test_record_column_holds_the_full_dict(store: DuckDBStore) -> None:
    ev = make_event("a", place=BERLIN)
    ev.source.append(actor("GBRGOV"))
    ev.attributed_to.append(actor("USAGOV"))
    store.write(doc("a"), [ev], "1.0")
    row = store.query(level="mention")[0]
    assert row["record"] == json.loads(json.dumps(ev.to_dict()))
    assert row["source_code"] == "FRAGOV"  # the first actor in the flat columns
    assert row["source_codes"] == "FRAGOV;GBRGOV"
    assert row["attributed_to"] == "USAGOV"
    assert row["location_name"] == "Berlin" and row["location_lat"] == pytest.approx(52.52)
    assert row["trigger_start"] == 4 and row["evidence_end"] == len(ev.evidence.text)
    assert row["date"] == "2021-03-04" and row["mention_id"] == "a#0"
    flat = flatten_record(ev.to_dict())
    for key in ("cameo", "plover", "quad_class", "goldstein", "target_code", "negated"):
        assert row[key] == flat[key]


def test_write_accepts_record_dicts(store: DuckDBStore) -> None:
    rec = make_event("a").to_dict()
    assert store.write(doc("a"), [rec], "1.0")
    assert store.query(level="mention")[0]["record"] == rec


def test_a_failing_input_stream_leaves_whole_documents(store: DuckDBStore) -> None:
    def pairs():
        for i in range(5):
            yield doc(f"d{i}"), [make_event(f"d{i}")]
        raise RuntimeError("input broke")

    with pytest.raises(RuntimeError):
        store.write_many(pairs(), "1.0", batch_size=2)
    assert counts(store)[:2] == (4, 4)  # two complete batches; the fifth document was never written
    for m in store.query(level="mention"):
        assert m["event_id"] is not None


def test_read_only(tmp_path: Path) -> None:
    path = tmp_path / "ro.duckdb"
    with pytest.raises(FileNotFoundError):
        open_store(path, read_only=True)
    with open_store(path) as s:
        s.write(doc("a"), [make_event("a")], "1.0")
    with open_store(path, read_only=True) as s:
        assert s.count("mentions") == 1
        with pytest.raises(PermissionError):
            s.write(doc("b"), [], "1.0")
    with pytest.raises(ValueError):
        DuckDBStore(path).count("nope")


# -- a writer killed mid-way ----------------------------------------------------------------------------------------

WRITER = r"""
import sys
from eventcoder.model import Actor, Document, Event, Evidence, Location
from eventcoder.store import open_store

PAIRS = [("FRAGOV", "DEUGOV", "042", "CONSULT"), ("USAMIL", "IRQREB", "190", "ASSAULT"),
         ("RUSGOV", "UKRGOV", "111", "ACCUSE"), ("CHNGOV", "TWNGOV", "138", "THREATEN")]
PLACES = [None, ("Berlin", "DEU", 2950159), ("Baghdad", "IRQ", 98182)]
OUTLETS = ["afp", "bbc.co.uk", "reuters", "aljazeera"]

def pairs(n):
    for i in range(n):
        day = 1 + (i // 6) % 28
        doc = Document(id=f"doc{i:04d}", text=f"Story number {i} about the day {day}.", date=f"2021-05-{day:02d}",
                       source=OUTLETS[i % 4], url=f"https://news.example/{i}")
        events = []
        for j in range(1 + i % 3):
            src, tgt, cameo, plover = PAIRS[(i + j) % 4]
            place = PLACES[(i + 2 * j) % 3]
            loc = Location(name=place[0], country=place[1], geonames_id=place[2]) if place else None
            text = f"Sentence {j} of story {i}."
            events.append(Event(
                doc_id=doc.id, sentence_index=j, evidence=Evidence(text, 0, len(text)), trigger="x",
                cameo=cameo, cameo_root=cameo[:2], plover=plover, quad_class=4, goldstein=-2.0,
                confidence=0.5 + (i % 5) / 10, source=[Actor(src, src, src[:3], src[3:])],
                target=[Actor(tgt, tgt, tgt[:3], tgt[3:])],
                date=doc.date if j else None, date_precision="day" if j else "unknown", location=loc))
        yield doc, events

with open_store(sys.argv[1]) as store:
    for i, (doc, events) in enumerate(pairs(int(sys.argv[2]))):
        store.write(doc, events, "1.0")
        print(i, flush=True)
"""


def _run_writer(path: Path, n: int, kill_after: int | None = None) -> int:
    env = dict(os.environ, PYTHONPATH=SRC)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(n)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    if kill_after is not None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if int(line) >= kill_after:
                os.kill(proc.pid, signal.SIGKILL)
                break
    _, err = proc.communicate(timeout=600)
    if kill_after is None:
        assert proc.returncode == 0, err
    return proc.returncode


def _snapshot(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            "documents": con.execute(
                "SELECT * EXCLUDE (coded_at) FROM documents ORDER BY id").fetchall(),
            "mentions": con.execute("SELECT * FROM mentions ORDER BY mention_id").fetchall(),
            "events": con.execute("SELECT * EXCLUDE (added_at) FROM events ORDER BY event_id").fetchall(),
            "pending": con.execute("SELECT * FROM pending_keys").fetchall(),
        }
    finally:
        con.close()


@pytest.mark.slow
def test_killed_writer_then_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    n = 120
    killed, clean = tmp_path / "killed.duckdb", tmp_path / "clean.duckdb"
    assert _run_writer(killed, n, kill_after=40) == -signal.SIGKILL
    _run_writer(killed, n)
    _run_writer(clean, n)
    a, b = _snapshot(killed), _snapshot(clean)
    assert len(a["documents"]) == n
    assert a["pending"] == b["pending"] == []
    for table in ("documents", "mentions", "events"):
        assert len(a[table]) == len(b[table]), table
        assert a[table] == b[table], table
    with open_store(clean, read_only=True) as s:
        assert 0 < s.count("events") < s.count("mentions")


# -- deduplication --------------------------------------------------------------------------------------------------


def test_two_outlets_reporting_one_event_give_one_event(store: DuckDBStore) -> None:
    store.write(doc("afp-1", source="afp", date="2021-03-04"),
                [make_event("afp-1", place=BERLIN, text="Macron met Scholz in Berlin."),
                 make_event("afp-1", sentence=3, text="The two leaders met for an hour.")], "1.0")
    store.write(doc("bbc-1", url="https://www.bbc.co.uk/news/1", date="2021-03-05"),
                [make_event("bbc-1", date="2021-03-05", text="Scholz hosted Macron on Thursday.")], "1.0")
    events = store.query()
    assert len(events) == 1
    e = events[0]
    assert (e["num_mentions"], e["num_articles"], e["num_sources"]) == (3, 2, 2)
    assert (e["first_seen"], e["last_seen"], e["date"]) == ("2021-03-04", "2021-03-05", "2021-03-04")
    assert e["location_name"] == "Berlin" and e["location_country"] == "DEU"
    full = store.get_event(e["event_id"])
    assert full is not None
    assert {m["outlet"] for m in full["mentions"]} == {"afp", "bbc.co.uk"}
    assert {m["evidence_text"] for m in full["mentions"]} == {
        "Macron met Scholz in Berlin.", "The two leaders met for an hour.", "Scholz hosted Macron on Thursday."}
    assert all(m["event_id"] == e["event_id"] for m in full["mentions"])


def test_a_similar_event_a_month_later_stays_separate(store: DuckDBStore) -> None:
    store.write(doc("a", source="afp"), [make_event("a", date="2021-03-04")], "1.0")
    store.write(doc("b", source="bbc", date="2021-04-04"), [make_event("b", date="2021-04-04")], "1.0")
    events = store.query()
    assert [e["date"] for e in events] == ["2021-03-04", "2021-04-04"]
    assert all(e["num_articles"] == 1 for e in events)


def test_different_places_stay_separate_and_unknown_place_joins(store: DuckDBStore) -> None:
    store.write(doc("a", source="afp"), [make_event("a", place=BERLIN)], "1.0")
    store.write(doc("b", source="bbc"), [make_event("b", place=PARIS)], "1.0")
    assert store.count("events") == 2
    store.write(doc("c", source="dw"), [make_event("c", place=None)], "1.0")
    events = store.query()
    assert len(events) == 2
    assert sorted(e["num_mentions"] for e in events) == [1, 2]
    country_only = Location(name="France", country="FRA", precision="country")
    store.write(doc("d", source="lemonde"), [make_event("d", place=country_only)], "1.0")
    # the country-level report joins Paris (same country), which then is the largest event the report with no
    # place can join: the key is re-clustered as a whole
    paris, berlin = store.query(place="paris")[0], store.query(place="berlin")[0]
    assert (paris["num_mentions"], berlin["num_mentions"]) == (3, 1)
    assert {m["doc_id"] for m in store.get_event(paris["event_id"])["mentions"]} == {"b", "c", "d"}


def test_events_never_span_more_than_the_window(store: DuckDBStore) -> None:
    pairs = [(doc(f"d{i}", source=f"outlet{i}", date=f"2021-03-{i + 1:02d}"),
              [make_event(f"d{i}", date=f"2021-03-{i + 1:02d}")]) for i in range(7)]
    store.write_many(pairs, "1.0")
    events = store.query()
    assert [e["num_mentions"] for e in events] == [3, 3, 1]
    for e in events:
        assert (int(e["last_seen"][-2:]) - int(e["first_seen"][-2:])) <= 2


def test_undated_mentions_only_group_within_their_own_article(store: DuckDBStore) -> None:
    store.write(doc("a", source="afp"), [make_event("a"),
                                         make_event("a", date="2021", precision="year", sentence=1)], "1.0")
    store.write(doc("b", source="bbc"), [make_event("b", date="2021", precision="year")], "1.0")
    store.write(doc("c", source="dw", date=None), [make_event("c", date=None),
                                                    make_event("c", date=None, sentence=1)], "1.0")
    events = store.query()
    # a's dated mention, a's year-only mention, b's year-only mention: three events; c's two undated: one
    assert sorted((e["num_mentions"], e["num_articles"]) for e in events) == [(1, 1), (1, 1), (1, 1), (2, 1)]
    assert [e["date"] for e in events].count(None) == 3


def test_document_date_stands_in_for_a_missing_event_date(store: DuckDBStore) -> None:
    store.write(doc("a", source="afp", date="2021-03-04"), [make_event("a", date=None)], "1.0")
    store.write(doc("b", source="bbc", date="2021-03-05"), [make_event("b", date="2021-03-05")], "1.0")
    assert [e["num_articles"] for e in store.query()] == [2]


def test_unasserted_mentions_are_kept_out_of_events(store: DuckDBStore) -> None:
    store.write(doc("a"), [make_event("a", modality=Modality(negated=True)),
                           make_event("a", "USAGOV", "RUSGOV", modality=Modality(future=True))], "1.0")
    assert counts(store) == (1, 2, 0)
    assert all(m["event_id"] is None for m in store.query(level="mention"))
    store.close()
    with open_store(store.path, dedup=DedupSettings(asserted_only=False)) as s:
        assert s.count("events") == 2


def test_changing_settings_rebuilds_events(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with open_store(path) as s:
        s.write(doc("a", source="afp"), [make_event("a", cameo="042")], "1.0")
        s.write(doc("b", source="bbc"), [make_event("b", cameo="043")], "1.0")
        s.write(doc("c", source="dw", date="2021-03-09"), [make_event("c", date="2021-03-09")], "1.0")
        assert s.count("events") == 2
    with open_store(path, dedup=DedupSettings(window_days=7)) as s:
        assert s.count("events") == 1
        assert s.settings.window_days == 7
    with open_store(path) as s:  # the stored settings are kept
        assert s.settings.window_days == 7 and s.count("events") == 1
        assert s.rebuild_events() == 1
    with pytest.raises(ValueError):
        DedupSettings(type_field="verb")


def test_plover_type_setting_groups_across_cameo_roots(tmp_path: Path) -> None:
    path = tmp_path / "p.duckdb"
    with open_store(path, dedup=DedupSettings(type_field="plover")) as s:
        s.write(doc("a", source="afp"), [make_event("a", cameo="111", plover="ACCUSE", quad=3)], "1.0")
        s.write(doc("b", source="bbc"), [make_event("b", cameo="112", plover="ACCUSE", quad=3)], "1.0")
        s.write(doc("c", source="dw"), [make_event("c", cameo="013", plover=None, quad=0)], "1.0")
        assert sorted(e["num_mentions"] for e in s.query()) == [1, 2]


def test_clustering_does_not_depend_on_row_order() -> None:
    rng = random.Random(7)
    import datetime as dt

    rows = []
    for i in range(300):
        day = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(20)) if rng.random() < 0.8 else None
        place = rng.choice([(None, None, None, None), ("DEU", 1, "Berlin", "city"), ("FRA", 2, "Paris", "city"),
                            ("FRA", None, "France", "country")])
        rows.append((f"d{i // 3}#{i % 3}", rng.choice(["A|B|04", "A|B|19", "C|D|04"]), f"d{i // 3}", i % 3, day,
                     place[0], place[1], place[2], place[3], rng.random(), "042"))
    assert len(ROW_FIELDS) - 2 == len(rows[0])  # event_id and event_date are optional
    first = cluster_mentions(rows)
    for _ in range(3):
        shuffled = rows[:]
        rng.shuffle(shuffled)
        again = cluster_mentions(shuffled)
        assert [(c.event_id, sorted(c.members), c.representative) for c in again] == \
               [(c.event_id, sorted(c.members), c.representative) for c in first]
    assert sum(len(c.members) for c in first) == len(rows)


def _table(s: DuckDBStore, sql: str) -> list[tuple]:
    return s.con.execute(sql).fetchall()


def test_incremental_updates_equal_a_full_rebuild(store: DuckDBStore) -> None:
    rng = random.Random(11)
    places = [None, BERLIN, PARIS, Location(name="France", country="FRA", precision="country")]
    dyads = [("FRAGOV", "DEUGOV"), ("USAGOV", "RUSGOV")]
    for step in range(60):
        i = rng.randrange(25)  # ids repeat: later writes replace earlier ones
        day = f"2021-03-{rng.randrange(1, 15):02d}"
        events = []
        for j in range(rng.randrange(0, 4)):
            src, tgt = rng.choice(dyads)
            undated = rng.random() < 0.15
            events.append(make_event(f"d{i}", src, tgt, date=None if undated else day, sentence=j,
                                     place=rng.choice(places), conf=rng.random()))
        d = doc(f"d{i}", text=f"version {step}", date=None if rng.random() < 0.1 else day, source=f"o{i % 4}")
        store.write_many([(d, events)], "1.0")
    events_sql = "SELECT * EXCLUDE (added_at) FROM events ORDER BY event_id"
    links_sql = "SELECT mention_id, event_id FROM mentions ORDER BY mention_id"
    incremental = _table(store, events_sql), _table(store, links_sql)
    assert len(incremental[0]) > 5
    store.rebuild_events()
    assert (_table(store, events_sql), _table(store, links_sql)) == incremental


# -- queries and stats ----------------------------------------------------------------------------------------------


@pytest.fixture
def filled(store: DuckDBStore) -> DuckDBStore:
    store.write(doc("a", source="afp", date="2021-03-04"),
                [make_event("a", place=BERLIN, text="Macron met Scholz in Berlin on Thursday."),
                 make_event("a", "RUSMIL", "UKRMIL", cameo="190", plover="ASSAULT", quad=4, goldstein=-10.0,
                            place=Location(name="Kharkiv", country="UKR", geonames_id=706483), sentence=1,
                            text="Russian forces shelled Kharkiv.")], "1.0")
    store.write(doc("b", source="bbc", date="2021-05-10"),
                [make_event("b", "USAGOV", "CHNGOV", cameo="0311", plover="AGREE", quad=1, date="2021-05-10",
                            text="Washington offered Beijing new talks.")], "1.0")
    store.write(doc("c", source="dw", date="2021-05-11"),
                [make_event("c", "RUSMIL", "UKRMIL", cameo="195", plover="ASSAULT", quad=4, goldstein=-10.0,
                            date="2021-05-11", text="An air strike hit Kyiv.")], "1.0")
    return store


def test_query_filters(filled: DuckDBStore) -> None:
    q = filled.query
    assert len(q()) == 4
    assert {e["source_code"] for e in q(actor="rus")} == {"RUSMIL"}
    assert len(q(actor="DEU")) == 1  # as a target
    assert len(q(source="USA")) == 1 and q(target="USA") == []
    assert len(q(country="UKR")) == 2
    assert {e["cameo"] for e in q(type="assault")} == {"190", "195"}
    assert [e["cameo"] for e in q(cameo="03")] == ["0311"]
    assert len(q(quad=4)) == 2 and len(q(quad=[1, 4])) == 4
    assert [e["date"] for e in q(since="2021-05-01")] == ["2021-05-10", "2021-05-11"]
    assert [e["date"] for e in q(until="2021-03-31")] == ["2021-03-04", "2021-03-04"]
    assert [e["location_name"] for e in q(place="kharkiv")] == ["Kharkiv"]
    assert [e["cameo"] for e in q(text="shelled KHARKIV")] == ["190"]
    assert q(text="shelled Berlin") == []
    dyad = q(source="RUSMIL", target="UKRMIL", since="2021-05-01", until="2021-05-31")
    assert [e["cameo"] for e in dyad] == ["195"]
    assert len(q(limit=2)) == 2 and q(limit=2, offset=3)[0]["date"] == "2021-05-11"
    mentions = q(level="mention", text="talks")
    assert len(mentions) == 1 and mentions[0]["record"]["cameo"] == "0311"
    assert mentions[0]["url"] is None and mentions[0]["outlet"] == "bbc"
    with pytest.raises(ValueError):
        q(level="sentence")
    with pytest.raises(ValueError):
        q(since="last week")


def test_stats(filled: DuckDBStore) -> None:
    st = filled.stats()
    assert (st["documents"], st["mentions"], st["events"]) == (3, 4, 4)
    assert st["by_type"] == {"ASSAULT": 2, "AGREE": 1, "CONSULT": 1}
    assert st["by_month"] == {"2021-03": 2, "2021-05": 2}
    assert st["by_quad"] == {"1": 2, "4": 2}
    assert st["top_dyads"][0] == {"source": "RUSMIL", "target": "UKRMIL", "events": 2, "mentions": 2}
    assert st["coder_versions"] == {"1.0": 3}
    assert (st["first_date"], st["last_date"]) == ("2021-03-04", "2021-05-11")
    json.dumps(st)


def test_iterators_and_arrow(filled: DuckDBStore) -> None:
    events = list(filled.iter_events(batch_size=1))
    assert len(events) == 4
    assert all(len(e["mentions"]) == e["num_mentions"] for e in events)
    mentions = list(filled.iter_mentions(batch_size=1))
    assert [m["mention_id"] for m in mentions] == ["a#0", "a#1", "b#0", "c#0"]
    assert filled.to_arrow("event").num_rows == 4
    assert filled.to_arrow("mention").num_rows == 4


# -- bulk loading ---------------------------------------------------------------------------------------------------


def _synthetic_pairs(n_docs: int, seed: int, prefix: str = "d", version: str = "") -> list[tuple[Document, list[Event]]]:
    rng = random.Random(seed)
    places = [None, BERLIN, PARIS, Location(name="France", country="FRA", precision="country"),
              Location(name="Lyon", country="FRA", geonames_id=2996944)]
    dyads = [("FRAGOV", "DEUGOV"), ("USAGOV", "RUSGOV"), ("RUSMIL", "UKRMIL"), (None, "UKRMIL")]
    kinds = [("042", "CONSULT"), ("043", "CONSULT"), ("190", "ASSAULT"), ("010", None)]
    pairs = []
    for i in range(n_docs):
        day = f"2021-03-{rng.randrange(1, 29):02d}"
        events = []
        for j in range(rng.randrange(0, 6)):
            src, tgt = rng.choice(dyads)
            cameo, plover = rng.choice(kinds)
            r = rng.random()
            date, precision = (None, "unknown") if r < 0.1 else (("2021-03", "month") if r < 0.15 else (day, "day"))
            events.append(make_event(f"{prefix}{i}", src, tgt, cameo=cameo, plover=plover, date=date,
                                     precision=precision, sentence=j, place=rng.choice(places), conf=rng.random(),
                                     modality=Modality(negated=rng.random() < 0.05)))
        d = doc(f"{prefix}{i}", text=f"text {i} {version}", date=None if rng.random() < 0.05 else day,
                source=f"o{i % 7}" if rng.random() < 0.9 else None, url=f"https://www.site{i % 3}.example/{i}")
        pairs.append((d, events))
    return pairs


def _bulk_tables(pairs: list[tuple[Document, list[Event]]], with_record: bool):
    import pyarrow as pa

    docs = [{"id": d.id, "url": d.url, "title": d.title, "source": d.source, "date": d.date,
             "content_hash": d.content_hash} for d, _ in pairs]
    rows = []
    for d, events in pairs:
        for e in events:
            record = e.to_dict()
            row = {**flatten_record(record), "doc_id": d.id}
            if with_record:
                row["record"] = json.dumps(record)
            rows.append(row)
    return docs, pa.Table.from_pylist(rows)


_EVENTS_SQL = "SELECT * EXCLUDE (added_at) FROM events ORDER BY event_id"
_LINKS_SQL = "SELECT mention_id, event_id, dedup_date, day, dedup_key FROM mentions ORDER BY mention_id"
_DOCS_SQL = "SELECT * EXCLUDE (coded_at) FROM documents ORDER BY id"


@pytest.mark.parametrize("settings", [DedupSettings(), DedupSettings(window_days=0, type_field="plover"),
                                      DedupSettings(window_days=4, match_place=False, asserted_only=False)])
def test_bulk_insert_equals_write_many_and_rebuild(tmp_path: Path, settings: DedupSettings) -> None:
    pairs = _synthetic_pairs(900, seed=5)
    ref = DuckDBStore(tmp_path / "ref.duckdb", dedup=settings)
    ref.write_many(pairs, "1.0", batch_size=100)
    ref.rebuild_events()
    bulk = DuckDBStore(tmp_path / "bulk.duckdb", dedup=settings)
    docs, mentions = _bulk_tables(pairs, with_record=True)
    assert bulk.bulk_insert(docs, mentions, "1.0") == mentions.num_rows > 2000
    try:
        expected = [_table(ref, sql) for sql in (_EVENTS_SQL, _LINKS_SQL, _DOCS_SQL)]
        assert expected[0] and any(r[1] > 1 for r in _table(ref, "SELECT event_id, num_mentions FROM events"))
        assert [_table(bulk, sql) for sql in (_EVENTS_SQL, _LINKS_SQL, _DOCS_SQL)] == expected
        records = "SELECT record FROM mentions ORDER BY mention_id"
        assert [json.loads(r) for r, in _table(bulk, records)] == [json.loads(r) for r, in _table(ref, records)]
        assert bulk.count("events") == bulk.rebuild_events()
        assert _table(bulk, _EVENTS_SQL) == expected[0]
    finally:
        ref.close()
        bulk.close()


def test_bulk_insert_replaces_documents_and_builds_records(tmp_path: Path) -> None:
    first = _synthetic_pairs(600, seed=8)
    second = _synthetic_pairs(300, seed=9, version="v2")  # d0..d299 again, with other events
    ref = open_store(tmp_path / "ref.duckdb")
    ref.write_many(first, "1.0")
    ref.write_many(second, "1.0")
    bulk = open_store(tmp_path / "bulk.duckdb")
    for pairs in (first, second):
        docs, mentions = _bulk_tables(pairs, with_record=False)
        bulk.bulk_insert(docs, mentions.drop_columns(["sentence_index"]).append_column(
            "sentence_index", mentions.column("sentence_index")), "1.0", dedup=pairs is second)
    try:
        assert counts(bulk) == counts(ref)
        assert [_table(bulk, sql) for sql in (_EVENTS_SQL, _LINKS_SQL, _DOCS_SQL)] == \
               [_table(ref, sql) for sql in (_EVENTS_SQL, _LINKS_SQL, _DOCS_SQL)]
        assert _table(bulk, "SELECT count(*) FROM pending_keys") == [(0,)]
        # Records rebuilt from the flat columns carry the flat fields (first source and target actor).
        for m_ref, m_bulk in zip(ref.iter_mentions(), bulk.iter_mentions()):
            a, b = m_ref["record"], m_bulk["record"]
            assert set(a) == set(b)
            for k in ("doc_id", "sentence_index", "evidence", "trigger_span", "cameo", "plover", "date",
                      "date_precision", "location", "modality", "confidence"):
                assert a[k] == b[k], k
            assert [x["code"] for x in a["source"]] == [x["code"] for x in b["source"]]
    finally:
        ref.close()
        bulk.close()


def test_bulk_insert_rejects_mentions_without_document(store: DuckDBStore) -> None:
    import pyarrow as pa

    with pytest.raises(ValueError):
        store.bulk_insert([{"id": "a"}], pa.table({"doc_id": ["b"], "cameo": ["042"]}), "1.0")
    assert counts(store) == (0, 0, 0)
