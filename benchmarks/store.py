"""Benchmark the event store: bulk insert rate and dyad + date-range query latency.

Writes ``--rows`` synthetic event mentions (default 1,000,000) into a fresh DuckDB file through
``DuckDBStore.write_many`` (Arrow inserts, one transaction per batch, deduplication of the touched keys
included), then times queries for one dyad over a date range. Synthetic data: documents in date order over two
years, 1-9 events each, actors drawn from a skewed distribution (a few dyads are very common, as in news),
60 outlets, 200 places.

    PYTHONPATH=src .venv/bin/python benchmarks/store.py              # 1M rows from Event objects
    PYTHONPATH=src .venv/bin/python benchmarks/store.py --records    # 1M rows from to_dict() records

    PYTHONPATH=src .venv/bin/python benchmarks/store.py --bulk       # 1M rows through bulk_insert

Only the ``write_many`` calls are timed (building the synthetic inputs is not). With ``--bulk`` the same kind
of data is built as Arrow columns (numpy, no per-row Python) and loaded with ``DuckDBStore.bulk_insert``; the
insert and the deduplication (``dedup_pending``) are timed separately.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from eventcoder.model import Actor, Document, Event, Evidence, Location
from eventcoder.store import open_store

COUNTRIES = ["USA", "RUS", "CHN", "UKR", "FRA", "DEU", "GBR", "IRN", "ISR", "PSE", "SYR", "IRQ", "AFG", "PAK",
             "IND", "TUR", "SAU", "EGY", "NGA", "MLI", "SDN", "ETH", "KEN", "ZAF", "BRA", "MEX", "COL", "VEN",
             "JPN", "KOR", "PRK", "TWN", "PHL", "IDN", "MMR", "THA", "VNM", "AUS", "CAN", "ITA", "ESP", "POL",
             "BLR", "GEO", "ARM", "AZE", "LBN", "JOR", "YEM", "LBY", "TUN", "DZA", "MAR", "SOM", "COD", "CMR",
             "NER", "BFA", "TCD", "HTI"]
SECTORS = ["GOV", "MIL", "COP", "REB", "OPP", "LEG", "JUD", "CVL"]
CAMEO = [("010", "01", None, 0, 0.0), ("036", "03", "AGREE", 1, 4.0), ("042", "04", "CONSULT", 1, 1.9),
         ("051", "05", "COOPERATE", 1, 3.4), ("061", "06", "COOPERATE", 2, 6.4), ("071", "07", "AID", 2, 7.4),
         ("111", "11", "ACCUSE", 3, -2.0), ("112", "11", "ACCUSE", 3, -2.0), ("130", "13", "THREATEN", 3, -4.4),
         ("141", "14", "PROTEST", 4, -6.5), ("173", "17", "SANCTION", 4, -5.0), ("190", "19", "ASSAULT", 4, -10.0),
         ("193", "19", "ASSAULT", 4, -10.0), ("183", "18", "ASSAULT", 4, -10.0), ("0311", "03", "AGREE", 1, 5.2)]


def _actors(rng: random.Random) -> list[str]:
    codes = [c + s for c in COUNTRIES for s in SECTORS]
    rng.shuffle(codes)
    return codes


def synthetic(rows: int, seed: int = 1, start: dt.date = dt.date(2021, 1, 1), days: int = 730):
    """Yield (Document, [Event]) pairs in date order until ``rows`` events were produced."""
    rng = random.Random(seed)
    actors = _actors(rng)
    weights = [1.0 / (i + 1) for i in range(len(actors))]
    outlets = [f"outlet{i}.example" for i in range(60)]
    places = [Location(name=f"Place {i}", country=COUNTRIES[i % len(COUNTRIES)], lat=float(i % 90),
                       lon=float(i % 180), geonames_id=100000 + i) for i in range(200)]
    produced = 0
    n_docs_guess = rows // 5 + 1
    i = 0
    while produced < rows:
        day = start + dt.timedelta(days=min(days - 1, i * days // n_docs_guess))
        doc = Document(id=f"doc{i:08d}", text=f"Synthetic story {i}.", date=day.isoformat(),
                       source=rng.choice(outlets), url=f"https://news.example/{i}")
        events = []
        for j in range(min(rng.randint(1, 9), rows - produced)):
            src, tgt = rng.choices(actors, weights, k=2)
            code, root, plover, quad, goldstein = rng.choice(CAMEO)
            text = f"Sentence {j} of story {i}: {src} and {tgt}."
            events.append(Event(
                doc_id=doc.id, sentence_index=j, evidence=Evidence(text, 40 * j, 40 * j + len(text)), trigger="x",
                cameo=code, cameo_root=root, plover=plover, quad_class=quad, goldstein=goldstein,
                confidence=rng.random(), source=[Actor(src, src, src[:3], src[3:])],
                target=[Actor(tgt, tgt, tgt[:3], tgt[3:])], date=day.isoformat(), date_precision="day",
                date_source="document", location=rng.choice(places) if rng.random() < 0.6 else None))
        produced += len(events)
        i += 1
        yield doc, events


def synthetic_columns(rows: int, seed: int = 1, start: dt.date = dt.date(2021, 1, 1), days: int = 730):
    """The data of :func:`synthetic` (same distributions, other random draws) as Arrow tables built with numpy:
    (documents, mentions) in the flat mention layout."""
    import numpy as np

    rng = np.random.default_rng(seed)
    actors = np.array(_actors(random.Random(seed)))
    weights = 1.0 / np.arange(1, len(actors) + 1)
    per_doc = rng.integers(1, 10, size=rows // 4 + 10)
    ends = np.cumsum(per_doc)
    n_docs = int(np.searchsorted(ends, rows) + 1)
    per_doc = per_doc[:n_docs]
    per_doc[-1] -= int(ends[n_docs - 1] - rows)
    doc_of = np.repeat(np.arange(n_docs), per_doc)
    index = np.arange(rows) - np.repeat(np.cumsum(per_doc) - per_doc, per_doc)
    doc_ids = pc.utf8_lpad(pc.cast(pa.array(np.arange(n_docs)), pa.string()), 8, "0")
    doc_ids = pc.binary_join_element_wise("doc", doc_ids, "")
    doc_days = (np.datetime64(start.isoformat()) + np.minimum(days - 1, np.arange(n_docs) * days // n_docs)
                ).astype("datetime64[D]")
    outlets = np.array([f"outlet{i}.example" for i in range(60)])
    documents = pa.table({
        "id": doc_ids,
        "url": pc.binary_join_element_wise("https://news.example/", pc.cast(pa.array(np.arange(n_docs)),
                                                                             pa.string()), ""),
        "source": pa.array(outlets[rng.integers(0, 60, n_docs)]),
        "date": pa.array(doc_days, type=pa.date32()),
    })
    p = weights / weights.sum()
    src = actors[rng.choice(len(actors), size=rows, p=p)]
    tgt = actors[rng.choice(len(actors), size=rows, p=p)]
    kind = rng.integers(0, len(CAMEO), rows)
    cameo = [pa.array([c[k] for c in CAMEO]).take(pa.array(kind)) for k in range(5)]
    place = np.where(rng.random(rows) < 0.6, rng.integers(0, 200, rows), -1)
    has_place = place >= 0
    pidx = pa.array(np.where(has_place, place, 0))
    mask = pa.array(~has_place)
    names = pa.array([f"Place {i}" for i in range(200)]).take(pidx)
    countries = pa.array([COUNTRIES[i % len(COUNTRIES)] for i in range(200)]).take(pidx)
    doc_col = documents.column("id").combine_chunks().take(pa.array(doc_of))
    src_a, tgt_a = pa.array(src), pa.array(tgt)
    mentions = pa.table({
        "doc_id": doc_col,
        "mention_index": pa.array(index, type=pa.int32()),
        "sentence_index": pa.array(index, type=pa.int32()),
        "evidence_text": pc.binary_join_element_wise("Sentence of ", doc_col, ": ", src_a, " and ", tgt_a, "."),
        "trigger": pa.array(np.full(rows, "x")),
        "cameo": cameo[0], "cameo_root": cameo[1], "plover": cameo[2], "quad_class": pc.cast(cameo[3], pa.int32()),
        "goldstein": cameo[4],
        "confidence": pa.array(rng.random(rows)),
        "source_code": src_a, "source_text": src_a, "source_country": pc.utf8_slice_codeunits(src_a, 0, 3),
        "source_sector": pc.utf8_slice_codeunits(src_a, 3), "source_codes": src_a,
        "target_code": tgt_a, "target_text": tgt_a, "target_country": pc.utf8_slice_codeunits(tgt_a, 0, 3),
        "target_sector": pc.utf8_slice_codeunits(tgt_a, 3), "target_codes": tgt_a,
        "date": pa.array(doc_days[doc_of], type=pa.date32()),
        "date_precision": pa.array(np.full(rows, "day")),
        "date_source": pa.array(np.full(rows, "document")),
        "location_name": pc.if_else(mask, pa.scalar(None, pa.string()), names),
        "location_country": pc.if_else(mask, pa.scalar(None, pa.string()), countries),
        "location_lat": pa.array((place % 90).astype(float), mask=~has_place),
        "location_lon": pa.array((place % 180).astype(float), mask=~has_place),
        "location_geonames_id": pa.array(100000 + place, mask=~has_place),
        "location_precision": pc.if_else(mask, pa.scalar(None, pa.string()), pa.scalar("city")),
    })
    return documents, mentions


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000, help="event mentions to insert (default 1,000,000)")
    ap.add_argument("--batch", type=int, default=2000, help="documents per write_many batch (default 2000)")
    ap.add_argument("--records", action="store_true", help="pass Event.to_dict() records instead of Events")
    ap.add_argument("--path", help="DuckDB file to create (default: a temporary directory)")
    ap.add_argument("--bulk", action="store_true", help="load columns with bulk_insert instead of write_many")
    ap.add_argument("--queries", type=int, default=50, help="number of timed queries (default 50)")
    args = ap.parse_args(argv)

    tmp = None
    if args.path:
        path = Path(args.path)
        if path.exists():
            sys.exit(f"{path} exists; give a new file")
    else:
        tmp = tempfile.TemporaryDirectory()
        path = Path(tmp.name) / "bench.duckdb"

    store = open_store(path)
    if args.bulk:
        bulk(store, args.rows)
    else:
        insert(store, args)
    queries(store, args.queries)
    store.close()
    size_mb = path.stat().st_size / 1e6
    print(f"database file: {size_mb:,.0f} MB")
    if tmp:
        tmp.cleanup()
    return 0


def bulk(store, rows: int) -> None:
    documents, mentions = synthetic_columns(rows)
    t0 = time.perf_counter()
    n = store.bulk_insert(documents, mentions, "bench", dedup=False)
    t1 = time.perf_counter()
    store.dedup_pending()
    t2 = time.perf_counter()
    n_docs, n_events = store.count("documents"), store.count("events")
    print(f"bulk_insert: {n:,} mentions ({n_docs:,} documents) in {t1 - t0:.1f} s: {n / (t1 - t0):,.0f} rows/s")
    print(f"dedup_pending: {n_events:,} events in {t2 - t1:.1f} s; insert + dedup {t2 - t0:.1f} s: "
          f"{n / (t2 - t0):,.0f} rows/s")


def insert(store, args) -> None:
    total = written_rows = 0
    insert_seconds = 0.0
    batch: list = []

    def flush() -> None:
        nonlocal insert_seconds, written_rows
        if args.records:
            batch[:] = [(d, [e.to_dict() for e in evs]) for d, evs in batch]
        t0 = time.perf_counter()
        store.write_many(batch, "bench", batch_size=len(batch))
        insert_seconds += time.perf_counter() - t0
        before = written_rows
        written_rows += sum(len(evs) for _, evs in batch)
        batch.clear()
        if written_rows // 200_000 > before // 200_000:
            print(f"  {written_rows:>9,} rows: {written_rows / insert_seconds:,.0f} rows/s so far", flush=True)

    for pair in synthetic(args.rows):
        batch.append(pair)
        total += len(pair[1])
        if len(batch) >= args.batch:
            flush()
    if batch:
        flush()

    n_docs, n_mentions, n_events = (store.count(t) for t in ("documents", "mentions", "events"))
    kind = "to_dict() records" if args.records else "Event objects"
    print(f"inserted {written_rows:,} mentions ({n_docs:,} documents) from {kind} in {insert_seconds:.1f} s: "
          f"{written_rows / insert_seconds:,.0f} rows/s (dedup included: {n_events:,} events)")



def queries(store, n_queries: int) -> None:
    # dyad + date-range queries: the top dyads over one-month windows
    rng = random.Random(2)
    dyads = [(d["source"], d["target"]) for d in store.stats(top=20)["top_dyads"]]
    latencies = []
    mention_latencies = []
    sizes = []
    for _ in range(n_queries):
        src, tgt = rng.choice(dyads)
        since = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(700))
        until = since + dt.timedelta(days=30)
        t0 = time.perf_counter()
        rows = store.query(source=src, target=tgt, since=since, until=until)
        latencies.append(time.perf_counter() - t0)
        sizes.append(len(rows))
        t0 = time.perf_counter()
        store.query(source=src, target=tgt, since=since, until=until, level="mention")
        mention_latencies.append(time.perf_counter() - t0)
    for label, lat in (("event", latencies), ("mention", mention_latencies)):
        lat_ms = sorted(x * 1000 for x in lat)
        print(f"dyad + 30-day query ({label} level, {len(lat_ms)} runs, median {statistics.median(sizes):.0f} rows): "
              f"median {statistics.median(lat_ms):.1f} ms, p90 {lat_ms[int(0.9 * (len(lat_ms) - 1))]:.1f} ms")


if __name__ == "__main__":
    raise SystemExit(main())
