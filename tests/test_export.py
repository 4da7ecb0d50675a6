"""Exports of the event store: GDELT 2.0, ICEWS, PLOVER, CSV, JSONL, Parquet, and event/query streams."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from eventcoder.export._formats import (
    GDELT_COLUMNS,
    ICEWS_COLUMNS,
    ISO3_TO_FIPS,
    export_store,
    read_gdelt,
    write_events,
    write_query_result,
)
from eventcoder.model import Actor, Document, Event, Evidence, Location
from eventcoder.store import RECORD_COLUMNS, open_store

BERLIN = Location(name="Berlin", country="DEU", admin1="Berlin", lat=52.52, lon=13.405, geonames_id=2950159,
                  precision="city", text="Berlin")


def event(doc_id: str, src: Actor, tgt: Actor, cameo: str, plover: str | None, quad: int, goldstein: float,
          date: str, location: Location | None = None, sentence: int = 0, text: str = "") -> Event:
    text = text or f"{src.text} and {tgt.text}, sentence {sentence} of {doc_id}."
    return Event(doc_id=doc_id, sentence_index=sentence, evidence=Evidence(text, 10, 10 + len(text)), trigger="met",
                 cameo=cameo, cameo_root=cameo[:2], plover=plover, quad_class=quad, goldstein=goldstein,
                 confidence=0.8, source=[src], target=[tgt], date=date, date_precision="day", location=location)


MACRON = Actor(text="Macron", code="FRAGOV", country="FRA", sector="GOV", name="Emmanuel Macron",
               role="President of France", wikidata="Q3052772")
SCHOLZ = Actor(text="Scholz", code="DEUGOV", country="DEU", sector="GOV", name="Olaf Scholz")
RUSSIA = Actor(text="Russian troops", code="RUSMIL", country="RUS", sector="MIL")
UKRAINE = Actor(text="Ukraine", code="UKR", country="UKR")


@pytest.fixture
def store(tmp_path: Path):
    s = open_store(tmp_path / "events.duckdb")
    s.write(Document(id="afp-1", text="Macron met Scholz in Berlin.", date="2022-05-09", source="afp",
                     url="https://afp.example/1", title="Leaders meet"),
            [event("afp-1", MACRON, SCHOLZ, "042", "CONSULT", 1, 1.9, "2022-05-09", BERLIN,
                   text="Macron met Scholz in Berlin."),
             event("afp-1", RUSSIA, UKRAINE, "190", "ASSAULT", 4, -10.0, "2022-05-08", sentence=3,
                   text="Russian troops shelled\tUkraine\non Sunday.")], "1.0")
    s.write(Document(id="bbc-1", text="Scholz welcomed Macron.", date="2022-05-10",
                     url="https://www.bbc.co.uk/news/1"),
            [event("bbc-1", MACRON, SCHOLZ, "042", "CONSULT", 1, 1.9, "2022-05-09", text="Scholz welcomed Macron.")],
            "1.0")
    s.write(Document(id="dw-1", text="Germany said something.", date="2022-06-01", source="dw"),
            [event("dw-1", SCHOLZ, MACRON, "010", None, 0, 0.0, "2022-06-01")], "1.0")
    yield s
    s.close()


def test_gdelt_export_reads_back_with_the_right_columns(store, tmp_path: Path) -> None:
    path = tmp_path / "events.gdelt.tsv"
    assert export_store(store, "gdelt", path) == 3
    rows = read_gdelt(path)
    assert len(GDELT_COLUMNS) == 61 and len(rows) == 3
    for line in path.read_text(encoding="utf-8").splitlines():
        assert len(line.split("\t")) == 61
    by_code = {r["EventCode"]: r for r in rows}

    consult = by_code["042"]
    assert (consult["Actor1Code"], consult["Actor1CountryCode"], consult["Actor1Type1Code"]) == ("FRAGOV", "FRA", "GOV")
    assert consult["Actor1Name"] == "EMMANUEL MACRON"
    assert (consult["Actor2Code"], consult["Actor2CountryCode"]) == ("DEUGOV", "DEU")
    assert (consult["EventBaseCode"], consult["EventRootCode"], consult["QuadClass"]) == ("042", "04", "1")
    assert float(consult["GoldsteinScale"]) == pytest.approx(1.9)
    assert (consult["NumMentions"], consult["NumSources"], consult["NumArticles"]) == ("2", "2", "2")
    assert (consult["SQLDATE"], consult["MonthYear"], consult["Year"]) == ("20220509", "202205", "2022")
    assert consult["FractionDate"] == f"{2022 + (5 * 30 + 9) / 365:.4f}"
    assert consult["ActionGeo_Type"] == "4"
    assert consult["ActionGeo_FullName"] == "Berlin, Germany"
    assert consult["ActionGeo_CountryCode"] == "GM"  # FIPS 10-4, not ISO
    assert float(consult["ActionGeo_Lat"]) == pytest.approx(52.52)
    assert float(consult["ActionGeo_Long"]) == pytest.approx(13.405)
    assert consult["ActionGeo_FeatureID"] == "2950159"
    assert consult["SOURCEURL"] in ("https://afp.example/1", "https://www.bbc.co.uk/news/1")
    assert consult["IsRootEvent"] == "1"
    assert consult["AvgTone"] == "" and consult["Actor1Geo_Type"] == ""
    assert len(consult["DATEADDED"]) == 14 and consult["DATEADDED"].isdigit()
    assert int(consult["GLOBALEVENTID"]) > 0

    attack = by_code["190"]
    assert (attack["Actor1Code"], attack["Actor1Type1Code"], attack["Actor2Code"]) == ("RUSMIL", "MIL", "UKR")
    assert (attack["QuadClass"], attack["EventRootCode"], attack["IsRootEvent"]) == ("4", "19", "0")
    assert float(attack["GoldsteinScale"]) == -10.0
    assert attack["SOURCEURL"] == "https://afp.example/1"
    assert attack["ActionGeo_CountryCode"] == "" and attack["SQLDATE"] == "20220508"

    statement = by_code["010"]
    assert statement["QuadClass"] == "1"  # our quad 0 (statements) is GDELT's verbal cooperation
    assert statement["SOURCEURL"] == "dw-1"  # no URL: the document id


def test_read_gdelt_rejects_wrong_widths(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("1\t2\t3\n", encoding="utf-8")
    with pytest.raises(ValueError):
        read_gdelt(bad)


def test_fips_codes() -> None:
    assert ISO3_TO_FIPS["DEU"] == "GM" and ISO3_TO_FIPS["GBR"] == "UK" and ISO3_TO_FIPS["USA"] == "US"
    assert ISO3_TO_FIPS["RUS"] == "RS" and ISO3_TO_FIPS["CHN"] == "CH" and ISO3_TO_FIPS["IRQ"] == "IZ"
    assert all(len(k) == 3 and len(v) == 2 and v.isupper() for k, v in ISO3_TO_FIPS.items())
    assert len(ISO3_TO_FIPS) > 230


def test_icews_export(store, tmp_path: Path) -> None:
    path = tmp_path / "events.icews.tsv"
    assert export_store(store, "icews", path) == 4
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert list(rows[0]) == ICEWS_COLUMNS
    attack = next(r for r in rows if r["CAMEO Code"] == "190")
    assert attack["Event Text"]  # the code's label
    assert "\t" not in attack["Event Text"]
    assert (attack["Source Name"], attack["Source Sectors"], attack["Target Name"]) == (
        "Russian troops", "MIL", "Ukraine")
    assert (attack["Story ID"], attack["Sentence Number"], attack["Publisher"]) == ("afp-1", "4", "afp")
    assert float(attack["Intensity"]) == -10.0 and attack["Event Date"] == "2022-05-08"
    consult = next(r for r in rows if r["Story ID"] == "bbc-1")
    assert consult["Publisher"] == "bbc.co.uk" and consult["Source Name"] == "Emmanuel Macron"
    berlin = next(r for r in rows if r["City"])
    assert (berlin["City"], berlin["Province"], berlin["Country"]) == ("Berlin", "Berlin", "Germany")


def test_plover_export(store, tmp_path: Path) -> None:
    path = tmp_path / "events.plover.jsonl"
    assert export_store(store, "plover", path) == 2  # the statement (010) has no PLOVER type
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    consult = next(r for r in records if r["event"] == ["CONSULT"])
    for name in ("id", "date", "actor", "recipient", "event", "mode", "context", "event_loc", "event_text",
                 "quad_code", "event_scale", "text_info", "cite_info", "coder", "coded_date"):
        assert name in consult
    assert consult["date"] == "2022-05-09" and consult["quad_code"] == 1
    assert consult["actor"][0]["code"] == "FRA" and consult["actor"][0]["sector"] == "GOV"
    assert consult["actor"][0]["identifier_id"] == "Q3052772"
    assert consult["actor"][0]["office"] == "President of France"
    assert consult["recipient"][0]["entity_text"] == "Scholz"
    assert sorted(consult["event_text"]) == ["Macron met Scholz in Berlin.", "Scholz welcomed Macron."]
    assert consult["event_loc"]["country_code"] == "DEU" and consult["event_loc"]["geonameid"] == 2950159
    assert consult["num_articles"] == 2 and len(consult["mentions"]) == 2
    assert consult["coder"] == "eventcoder 1.0"


def test_csv_and_jsonl_exports(store, tmp_path: Path) -> None:
    assert export_store(store, "csv", tmp_path / "m.csv") == 4
    with (tmp_path / "m.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 4 and "record" not in rows[0]
    assert {"source_code", "cameo", "evidence_text", "event_id", "url"} <= set(rows[0])
    assert export_store(store, "csv", tmp_path / "e.csv", level="event") == 3

    assert export_store(store, "jsonl", tmp_path / "m.jsonl") == 4
    records = [json.loads(line) for line in (tmp_path / "m.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(r["event_id"] for r in records)
    assert {r["cameo"] for r in records} == {"042", "190", "010"}
    assert records[0]["source"][0]["code"]

    out = io.StringIO()
    assert export_store(store, "jsonl", out, level="event") == 3
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {len(e["mentions"]) for e in events} == {1, 2}
    with pytest.raises(ValueError):
        export_store(store, "xml", tmp_path / "x")


def test_parquet_export_is_partitioned_by_year_and_month(store, tmp_path: Path) -> None:
    root = tmp_path / "parquet"
    assert export_store(store, "parquet", root) == 4
    assert sorted(p.name for p in (root / "year=2022").iterdir()) == ["month=05", "month=06"]
    table = ds.dataset(root, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 4
    assert json.loads(table.column("record")[0].as_py())["doc_id"]
    assert export_store(store, "parquet", tmp_path / "events_pq", level="event") == 3


def test_write_events_streams(tmp_path: Path) -> None:
    evs = [event("d", MACRON, SCHOLZ, "042", "CONSULT", 1, 1.9, "2022-05-09", BERLIN),
           event("d", RUSSIA, UKRAINE, "190", "ASSAULT", 4, -10.0, "2022-05-08", sentence=1)]
    out = io.StringIO()
    assert write_events((e.to_dict() for e in evs), "jsonl", out) == 2
    assert [json.loads(x) for x in out.getvalue().splitlines()] == [e.to_dict() for e in evs]

    out = io.StringIO()
    assert write_events(evs, "csv", out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == [n for n, _ in RECORD_COLUMNS]
    assert rows[0]["location_name"] == "Berlin" and rows[1]["cameo"] == "190"

    buf = io.BytesIO()
    assert write_events(evs, "parquet", buf) == 2
    table = pq.read_table(io.BytesIO(buf.getvalue()))
    assert table.num_rows == 2 and table.column("source_code").to_pylist() == ["FRAGOV", "RUSMIL"]
    assert write_events(evs, "parquet", tmp_path / "e.parquet") == 2
    assert pq.read_table(tmp_path / "e.parquet").num_rows == 2
    with pytest.raises(ValueError):
        write_events(evs, "gdelt", io.StringIO())


def test_write_query_result(store, tmp_path: Path) -> None:
    rows = store.query()
    out = io.StringIO()
    assert write_query_result(rows, "table", out) == 3
    text = out.getvalue()
    assert "event_id" in text.splitlines()[0] and "RUSMIL" in text
    out = io.StringIO()
    write_query_result([], "table", out)
    assert out.getvalue() == "(no results)\n"

    mentions = store.query(level="mention")
    out = io.StringIO()
    write_query_result(mentions, "csv", out)
    parsed = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(parsed) == 4 and json.loads(parsed[0]["record"])["doc_id"]

    out = io.StringIO()
    write_query_result(rows, "jsonl", out, columns=["event_id", "num_mentions"])
    assert [set(json.loads(x)) for x in out.getvalue().splitlines()] == [{"event_id", "num_mentions"}] * 3

    write_query_result(mentions, "parquet", tmp_path / "q.parquet")
    assert pq.read_table(tmp_path / "q.parquet").num_rows == 4
