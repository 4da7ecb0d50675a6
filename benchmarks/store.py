"""Benchmark the event store: bulk insert rate and dyad + date-range query latency.

Writes ``--rows`` synthetic event mentions (default 1,000,000) into a fresh DuckDB file through
``DuckDBStore.write_many`` (Arrow inserts, one transaction per batch, deduplication of the touched keys
included), then times queries for one dyad over a date range. Synthetic data: documents in date order over two
years, 1-9 events each, actors drawn from a skewed distribution (a few dyads are very common, as in news),
60 outlets, 200 places.

    PYTHONPATH=src .venv/bin/python benchmarks/store.py              # 1M rows from Event objects
    PYTHONPATH=src .venv/bin/python benchmarks/store.py --records    # 1M rows from to_dict() records

Only the ``write_many`` calls are timed (building the synthetic inputs is not).
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000, help="event mentions to insert (default 1,000,000)")
    ap.add_argument("--batch", type=int, default=2000, help="documents per write_many batch (default 2000)")
    ap.add_argument("--records", action="store_true", help="pass Event.to_dict() records instead of Events")
    ap.add_argument("--path", help="DuckDB file to create (default: a temporary directory)")
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

    # dyad + date-range queries: the top dyads over one-month windows
    rng = random.Random(2)
    dyads = [(d["source"], d["target"]) for d in store.stats(top=20)["top_dyads"]]
    latencies = []
    mention_latencies = []
    sizes = []
    for _ in range(args.queries):
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
    store.close()
    size_mb = path.stat().st_size / 1e6
    print(f"database file: {size_mb:,.0f} MB")
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
