"""The HTTP API: a real uvicorn server on 127.0.0.1 (in a thread, on a free port) spoken to with httpx.

Read endpoints are checked against a store filled with hand-made events (so the expected counts are known);
coding goes through the real coder with the seed article. Also: bad requests (422 with a message, 413),
the write token (401/403) and the ``serve`` command.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from eventcoder.api import ApiSettings, create_app, is_loopback, register_cli
from eventcoder.api._filters import Filters
from eventcoder.api._highlight import highlights
from eventcoder.model import Actor, Document, Event, Evidence, Location
from eventcoder.store import open_store

SEED_DATE = "2023-06-07"

# ------------------------------------------------------------------------------------------------ helpers


@contextlib.contextmanager
def running(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free port of 127.0.0.1 in a thread; yields the base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def _actor(code: str, text: str, name: str | None = None) -> Actor:
    return Actor(text=text, code=code, country=code[:3] if not code.startswith("IGO") else None,
                 sector=code[3:6] or None, name=name)


TOKYO = Location(name="Tokyo", country="JPN", lat=35.69, lon=139.69, geonames_id=1850147, precision="city")
KYIV = Location(name="Kyiv", country="UKR", lat=50.45, lon=30.52, geonames_id=703448, precision="city")

# (doc id, publication date, [(sentence, source, target, trigger, cameo, plover, quad, goldstein, place)])
CORPUS: list[tuple[str, str, list[tuple[str, tuple[str, str], tuple[str, str], str, str, str, int, float,
                                        Location | None]]]] = [
    ("a1", "2023-06-05", [
        ("Japan criticized Russia over the strikes.", ("JPNGOV", "Japan"), ("RUSGOV", "Russia"), "criticized",
         "111", "DISAPPROVE", 3, -2.0, TOKYO),
        ("NATO met Japan in Tokyo.", ("IGOWSTNAT", "NATO"), ("JPNGOV", "Japan"), "met", "040", "CONSULT", 1, 1.0,
         TOKYO),
    ]),
    ("a2", "2023-06-07", [
        ("Russia attacked Ukraine near Kyiv.", ("RUSMIL", "Russia"), ("UKR", "Ukraine"), "attacked", "190",
         "ASSAULT", 4, -10.0, KYIV),
        ("Japan sent aid to Ukraine.", ("JPNGOV", "Japan"), ("UKR", "Ukraine"), "sent aid", "070", "AID", 2, 7.0,
         None),
    ]),
    ("a3", "2023-06-20", [
        ("Japan accused Russia of lying.", ("JPNGOV", "Japan"), ("RUSGOV", "Russia"), "accused", "112", "ACCUSE",
         3, -2.0, None),
        ("NATO met Japan again in Tokyo.", ("IGOWSTNAT", "NATO"), ("JPNGOV", "Japan"), "met", "040", "CONSULT", 1,
         1.0, TOKYO),
    ]),
]
N_EVENTS = sum(len(sentences) for _, _, sentences in CORPUS)


def corpus_pairs() -> list[tuple[Document, list[Event]]]:
    pairs = []
    for doc_id, date, sentences in CORPUS:
        text = " ".join(s[0] for s in sentences)
        events = []
        pos = 0
        for i, (sentence, src, tgt, trigger, cameo, plover, quad, goldstein, place) in enumerate(sentences):
            start = text.index(sentence, pos)
            pos = start + len(sentence)
            t0 = start + sentence.index(trigger)
            events.append(Event(
                doc_id=doc_id, sentence_index=i, evidence=Evidence(sentence, start, start + len(sentence)),
                trigger=trigger, cameo=cameo, cameo_root=cameo[:2], plover=plover, quad_class=quad,
                goldstein=goldstein, confidence=0.8, source=[_actor(*src)], target=[_actor(*tgt)],
                trigger_start=t0, trigger_end=t0 + len(trigger), rule="test", date=date, date_precision="day",
                date_source="document", location=place))
        pairs.append((Document(id=doc_id, text=text, date=date, title=f"Story {doc_id}",
                               url=f"https://news.example/{doc_id}"), events))
    return pairs


def build_corpus_db(path: Path) -> Path:
    with open_store(path) as store:
        store.write_many(corpus_pairs(), coder_version="test")
    return path


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store the module's server owns (opened by that server only)."""
    return build_corpus_db(tmp_path_factory.mktemp("api") / "events.duckdb")


@pytest.fixture(scope="module")
def filter_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second copy, opened read-only by the filter checks (DuckDB allows one configuration per file)."""
    return build_corpus_db(tmp_path_factory.mktemp("filters") / "events.duckdb")


@pytest.fixture(scope="module")
def api(corpus_db: Path) -> Iterator[str]:
    with running(create_app(db_path=corpus_db)) as url:
        yield url


@pytest.fixture(scope="module")
def client(api: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api, timeout=60) as c:
        yield c


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [r["event_id"] for r in rows]


def assert_clean_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"] and isinstance(body["detail"], str) and body["detail"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


# ------------------------------------------------------------------------------------------------ unit checks


def test_loopback_addresses() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.8.0.1", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.10", "example.org"))


def test_write_access_setting() -> None:
    assert ApiSettings.create(host="127.0.0.1").write_access == "open"
    assert ApiSettings.create(host="0.0.0.0").write_access == "closed"
    assert ApiSettings.create(host="0.0.0.0", token="t").write_access == "token"
    assert ApiSettings.create(host="127.0.0.1", token="t").write_access == "token"
    assert ApiSettings.create().max_body_bytes == 2 * 1024 * 1024


def test_highlights_mark_trigger_and_actors() -> None:
    text = "Intro. Yesterday France criticized NATO in Paris."
    start = text.index("Yesterday")
    record = {
        "evidence": {"text": text[start:], "start": start, "end": len(text)},
        "trigger": "criticized", "trigger_span": [text.index("criticized"), text.index("criticized") + 10],
        "cameo": "111",
        "source": [{"text": "France", "code": "FRAGOV"}], "target": [{"text": "NATO", "code": "IGOWSTNAT"}],
    }
    spans = highlights(record)
    sentence = record["evidence"]["text"]
    assert [(sentence[h["start"]:h["end"]], h["kind"]) for h in spans] == [
        ("France", "source"), ("criticized", "trigger"), ("NATO", "target")]
    # a trigger span outside the sentence falls back to finding the words; unknown actors are skipped
    record["trigger_span"] = [None, None]
    record["target"] = [{"text": "Germany", "code": "DEUGOV"}]
    assert [h["kind"] for h in highlights(record)] == ["source", "trigger"]


FILTER_CASES = [
    Filters(),
    Filters(actor="JPN"),
    Filters(source="IGO"),
    Filters(target="ukr"),
    Filters(country="RUS"),
    Filters(type="consult"),
    Filters(cameo="19"),
    Filters(quad=(3, 4)),
    Filters(since=dt.date(2023, 6, 6)),
    Filters(until=dt.date(2023, 6, 7), actor="JPN"),
    Filters(place="tokyo"),
    Filters(text="met japan"),
]


@pytest.mark.parametrize("filters", FILTER_CASES, ids=lambda f: repr(f.store_kwargs()))
@pytest.mark.parametrize("level", ["event", "mention"])
def test_sql_filters_select_what_store_query_selects(filter_db: Path, filters: Filters, level: str) -> None:
    """The aggregates' WHERE clause and Store.query agree on every filter."""
    with open_store(filter_db, read_only=True) as store:
        key = "event_id" if level == "event" else "mention_id"
        expected = sorted(r[key] for r in store.query(**filters.store_kwargs(), level=level))
        where, params = filters.where(level)  # type: ignore[arg-type]
        table = "events e" if level == "event" else "mentions m"
        got = sorted(r[0] for r in store.con.execute(f"SELECT {key} FROM {table} WHERE {where}", params).fetchall())
    assert got == expected
    if filters == Filters():
        assert len(got) == N_EVENTS


# ------------------------------------------------------------------------------------------------ read endpoints


@pytest.mark.slow
def test_openapi_and_offline_docs(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/v1/code", "/v1/events", "/v1/events/{event_id}", "/v1/timeline", "/v1/network", "/v1/actors",
                 "/v1/stats"):
        assert path in spec["paths"], path
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui-dist/swagger-ui-bundle.js" in docs.text
    assert "cdn." not in docs.text
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert client.get(f"/static/vendor/swagger-ui-dist/{asset}").status_code == 200, asset


@pytest.mark.slow
def test_dashboard_and_vendored_assets_are_served(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "http://" not in page.text and "https://" not in page.text  # nothing from elsewhere
    for asset in ("/static/app.js", "/static/app.css", "/static/vendor/leaflet/leaflet.js",
                  "/static/vendor/chart.js/chart.umd.min.js", "/static/vendor/cytoscape/cytoscape.min.js"):
        assert client.get(asset).status_code == 200, asset
    world = client.get("/static/vendor/world-atlas/countries-110m.geojson").json()
    assert world["type"] == "FeatureCollection" and "Natural Earth" in world["about"]
    codes = {f["properties"]["iso3"] for f in world["features"]}
    assert {"JPN", "FRA", "UKR", "USA"} <= codes and len(world["features"]) > 150


@pytest.mark.slow
def test_events_page_and_pagination(client: httpx.Client) -> None:
    everything = client.get("/v1/events").json()
    assert everything["total"] == N_EVENTS and everything["limit"] == 100 and everything["offset"] == 0
    assert len(everything["events"]) == N_EVENTS
    first = client.get("/v1/events", params={"limit": 4}).json()
    rest = client.get("/v1/events", params={"limit": 4, "offset": 4}).json()
    assert first["total"] == rest["total"] == N_EVENTS
    assert len(first["events"]) == 4 and len(rest["events"]) == N_EVENTS - 4
    assert ids(first["events"]) + ids(rest["events"]) == ids(everything["events"])
    row = everything["events"][0]
    assert row["url"].startswith("https://news.example/") and row["title"].startswith("Story")
    marked = {row["evidence_text"][h["start"]:h["end"]]: h["kind"] for h in row["highlights"]}
    assert marked[row["trigger"]] == "trigger"
    assert set(marked.values()) == {"trigger", "source", "target"}
    # the page size is capped
    assert client.get("/v1/events", params={"limit": 50_000}).json()["limit"] == 1000


@pytest.mark.slow
def test_events_filters(client: httpx.Client) -> None:
    def total(**params: Any) -> int:
        response = client.get("/v1/events", params=params)
        assert response.status_code == 200, response.text
        return response.json()["total"]

    assert total(actor="JPN") == 5
    assert total(country="UKR") == 2
    assert total(type="CONSULT") == 2
    assert total(quad=[3, 4]) == 3
    assert total(quad=0) == 0
    assert total(since="2023-06-06", until="2023-06-07") == 2
    assert total(place="Tokyo") == 3
    assert total(text="aid") == 1
    assert total(actor="", country="") == N_EVENTS  # blank filters are ignored
    mentions = client.get("/v1/events", params={"level": "mention", "source": "IGO"}).json()
    assert mentions["total"] == 2 and mentions["level"] == "mention"
    assert all(m["record"]["source"][0]["code"] == "IGOWSTNAT" and m["highlights"] for m in mentions["events"])


@pytest.mark.slow
def test_event_detail_has_every_mentions_evidence(client: httpx.Client) -> None:
    row = client.get("/v1/events", params={"type": "ASSAULT"}).json()["events"][0]
    event = client.get(f"/v1/events/{row['event_id']}").json()
    assert event["event_id"] == row["event_id"] and event["cameo"] == "190"
    assert len(event["mentions"]) == 1
    mention = event["mentions"][0]
    assert mention["record"]["evidence"]["text"] == "Russia attacked Ukraine near Kyiv."
    assert mention["url"] == "https://news.example/a2"
    assert {h["kind"] for h in mention["highlights"]} == {"trigger", "source", "target"}
    assert_clean_error(client.get("/v1/events/no-such-event"), 404)


@pytest.mark.slow
def test_timeline(client: httpx.Client) -> None:
    days = client.get("/v1/timeline", params={"interval": "day"}).json()
    assert days["interval"] == "day" and days["periods"][0] == "2023-06-05" and days["periods"][-1] == "2023-06-20"
    assert len(days["periods"]) == 16  # zero-filled
    assert days["total"] == N_EVENTS and days["undated"] == 0
    by_quad = {s["key"]: sum(s["counts"]) for s in days["series"]}
    assert by_quad == {"1": 2, "2": 1, "3": 2, "4": 1}
    weeks = client.get("/v1/timeline", params={"interval": "week", "by": "type", "actor": "JPN"}).json()
    assert weeks["periods"] == ["2023-06-05", "2023-06-12", "2023-06-19"]  # Mondays
    assert {s["key"]: s["counts"] for s in weeks["series"]} == {
        "CONSULT": [1, 0, 1], "ACCUSE": [0, 0, 1], "AID": [1, 0, 0], "DISAPPROVE": [1, 0, 0]}
    assert client.get("/v1/timeline").json()["interval"] == "day"  # auto: a short span is shown per day


@pytest.mark.slow
def test_network(client: httpx.Client) -> None:
    net = client.get("/v1/network").json()
    edges = {(e["source"], e["target"]): e for e in net["edges"]}
    assert edges[("IGOWSTNAT", "JPNGOV")]["count"] == 2 and edges[("IGOWSTNAT", "JPNGOV")]["goldstein"] == 1.0
    assert edges[("JPNGOV", "RUSGOV")]["count"] == 2 and edges[("JPNGOV", "RUSGOV")]["goldstein"] == -2.0
    assert edges[("RUSMIL", "UKR")]["goldstein"] == -10.0
    assert {n["id"] for n in net["nodes"]} == {"IGOWSTNAT", "JPNGOV", "RUSGOV", "RUSMIL", "UKR"}
    only = client.get("/v1/network", params={"quad": 4}).json()
    assert [(e["source"], e["target"]) for e in only["edges"]] == [("RUSMIL", "UKR")]


@pytest.mark.slow
def test_actors_places_stats(client: httpx.Client) -> None:
    actors = client.get("/v1/actors").json()["actors"]
    assert actors[0] == {"code": "JPNGOV", "name": None, "country": "JPN", "sector": "GOV", "as_source": 3,
                         "as_target": 2, "events": 5}
    assert [a["code"] for a in client.get("/v1/actors", params={"prefix": "rus"}).json()["actors"]] == [
        "RUSGOV", "RUSMIL"]
    places = client.get("/v1/places").json()["places"]
    assert [(p["name"], p["count"]) for p in places] == [("Tokyo", 3), ("Kyiv", 1)]
    assert places[0]["by_quad"] == {"0": 0, "1": 2, "2": 0, "3": 1, "4": 0}
    stats = client.get("/v1/stats").json()
    assert stats["documents"] == 3 and stats["events"] == N_EVENTS and stats["mentions"] == N_EVENTS


@pytest.mark.slow
def test_exports_follow_the_filters(client: httpx.Client) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    response = client.get("/v1/events", params={"format": "csv", "actor": "JPN"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 5 and all("JPN" in (r["source_code"] + r["target_code"]) for r in rows)
    response = client.get("/v1/events", params={"format": "parquet", "level": "mention"})
    table = pq.read_table(io.BytesIO(response.content))
    assert table.num_rows == N_EVENTS and table.schema.field("date").type == pa.date32()
    assert "record" not in table.column_names and "evidence_text" in table.column_names
    response = client.get("/v1/events", params={"format": "json", "download": "true", "quad": 1})
    assert "attachment" in response.headers["content-disposition"] and response.json()["total"] == 2


# ------------------------------------------------------------------------------------------------ bad requests


@pytest.mark.slow
def test_bad_requests_get_a_message_not_a_traceback(client: httpx.Client) -> None:
    json_headers = {"content-type": "application/json"}
    body = assert_clean_error(client.post("/v1/code", content=b'{"text": "unterminated', headers=json_headers), 422)
    assert "JSON" in body["detail"]
    assert "text" in assert_clean_error(client.post("/v1/code", json={"title": "no text"}), 422)["detail"]
    assert "empty" in assert_clean_error(client.post("/v1/code", json={"text": "   "}), 422)["detail"]
    assert "date" in assert_clean_error(client.post("/v1/code", json={"text": "x", "date": "2023-02-30"}),
                                        422)["detail"]
    assert_clean_error(client.post("/v1/code", json={"text": "x", "colour": "red"}), 422)
    assert_clean_error(client.post("/v1/code", json=["not", "an", "object"]), 422)
    assert_clean_error(client.get("/v1/events", params={"quad": 7}), 422)
    assert_clean_error(client.get("/v1/events", params={"since": "last tuesday"}), 422)
    assert_clean_error(client.get("/v1/events", params={"format": "xlsx"}), 422)
    assert_clean_error(client.get("/v1/events", params={"limit": 0}), 422)
    assert_clean_error(client.get("/v1/timeline", params={"interval": "year"}), 422)
    assert_clean_error(client.get("/v1/nothing-here"), 404)


@pytest.mark.slow
def test_huge_bodies_get_413(client: httpx.Client) -> None:
    huge = b'{"text": "' + b"a" * (2 * 1024 * 1024 + 10) + b'"}'
    body = assert_clean_error(client.post("/v1/code", content=huge, headers={"content-type": "application/json"}),
                              413)
    assert "2097152" in body["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"text": "'
        for _ in range(40):
            yield b"b" * 65536
        yield b'"}'

    response = client.post("/v1/code", content=chunks(), headers={"content-type": "application/json"})
    assert_clean_error(response, 413)
    assert client.get("/v1/info").status_code == 200  # the server is still fine


@pytest.mark.slow
def test_loopback_server_refuses_foreign_host_names(api: str) -> None:
    response = httpx.get(api + "/v1/info", headers={"host": "attacker.example"})
    assert response.status_code == 400


# ------------------------------------------------------------------------------------------------ coding


@pytest.mark.slow
def test_code_the_seed_article_and_store_it(coder: Any, seed_text: str, tmp_path: Path) -> None:
    app = create_app(db_path=tmp_path / "events.duckdb", coder=coder)
    with running(app) as url, httpx.Client(base_url=url, timeout=120) as c:
        body = {"text": seed_text, "date": SEED_DATE, "id": "seed", "url": "https://news.example/seed",
                "title": "NATO office in Japan"}
        coded = c.post("/v1/code", json=body).json()
        assert coded["doc_id"] == "seed" and coded["stored"] is False
        assert coded["events"], "the seed article has events"
        for event in coded["events"]:
            assert event["doc_id"] == "seed" and event["cameo"] and event["evidence"]["text"]
            sentence = event["evidence"]["text"]
            marks = {h["kind"]: sentence[h["start"]:h["end"]] for h in event["highlights"]}
            if "trigger" in marks:
                assert marks["trigger"].lower() in sentence.lower()
        assert c.get("/v1/events").json()["total"] == 0  # not stored yet

        stored = c.post("/v1/code", json={**body, "store": True}).json()
        assert stored["stored"] is True and len(stored["events"]) == len(coded["events"])
        listed = c.get("/v1/events", params={"level": "mention"}).json()
        assert listed["total"] == len(coded["events"])
        assert all(m["url"] == "https://news.example/seed" for m in listed["events"])
        assert c.get("/v1/stats").json()["documents"] == 1
        assert c.post("/v1/code", json={**body, "store": True}).json()["stored"] is False  # already there


@pytest.mark.slow
def test_write_token_when_not_on_loopback(coder: Any, tmp_path: Path) -> None:
    app = create_app(db_path=tmp_path / "events.duckdb", token="s3cret", host="0.0.0.0", coder=coder)
    article = {"text": "Russian troops shelled Kharkiv on Monday.", "date": "2022-05-02"}
    with running(app) as url, httpx.Client(base_url=url, timeout=120) as c:
        assert c.get("/v1/info").json()["write_access"] == "token"
        missing = c.post("/v1/code", json=article)
        assert_clean_error(missing, 401)
        assert missing.headers["www-authenticate"] == "Bearer"
        assert_clean_error(c.post("/v1/code", json=article, headers={"Authorization": "Bearer wrong"}), 403)
        assert_clean_error(c.post("/v1/code", json=article, headers={"Authorization": "Basic s3cret"}), 401)
        ok = c.post("/v1/code", json=article, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200 and "events" in ok.json()
        assert c.get("/v1/events").status_code == 200  # reads need no token
        assert c.get("/v1/info", headers={"host": "example.org"}).status_code == 200  # any host name off loopback


@pytest.mark.slow
def test_writes_are_closed_off_loopback_without_a_token(tmp_path: Path) -> None:
    with running(create_app(db_path=tmp_path / "events.duckdb", host="0.0.0.0")) as url:
        response = httpx.post(url + "/v1/code", json={"text": "Japan met NATO."})
        assert "token" in assert_clean_error(response, 403)["detail"]


# ------------------------------------------------------------------------------------------------ the command


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_command_options() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    register_cli(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["serve"])
    assert (args.host, args.port, args.token, args.db) == ("127.0.0.1", 8000, None, None)
    args = parser.parse_args(["serve", "--db", "x.duckdb", "--host", "0.0.0.0", "--port", "9000", "--token", "t"])
    assert (args.host, args.port, args.token, args.db) == ("0.0.0.0", 9000, "t", "x.duckdb")


@pytest.mark.slow
def test_serve_command_runs_a_server_on_loopback(tmp_path: Path) -> None:
    db = build_corpus_db(tmp_path / "events.duckdb")
    port = _free_port()
    script = ("import argparse, sys; from eventcoder.api import register_cli; p = argparse.ArgumentParser(); "
              "p.add_argument('--model'); register_cli(p.add_subparsers()); a = p.parse_args(sys.argv[1:]); "
              "sys.exit(a.func(a))")
    proc = subprocess.Popen([sys.executable, "-c", script, "serve", "--db", str(db), "--port", str(port),
                             "--no-preload"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                info = httpx.get(f"http://127.0.0.1:{port}/v1/info", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(proc.stdout.read().decode() if proc.stdout else "no output") from None
                time.sleep(0.2)
        assert info.json()["write_access"] == "open"
        assert httpx.get(f"http://127.0.0.1:{port}/v1/events", timeout=10).json()["total"] == N_EVENTS
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0].decode()
    assert "dashboard at http://127.0.0.1:" in output
