"""`eventcoder query`, `stats` and `export`: the store from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .errors import EventcoderError

__all__ = ["register_cli"]


def _db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="the DuckDB store (default: $EVENTCODER_DB or the user data directory)")


def register_cli(sub: Any) -> None:
    p = sub.add_parser("query", help="query the event store")
    _db(p)
    p.add_argument("--actor", help="source or target actor code (prefix) or name words")
    p.add_argument("--source", help="source actor code (prefix)")
    p.add_argument("--target", help="target actor code (prefix)")
    p.add_argument("--country", help="ISO3 of either actor or of the place")
    p.add_argument("--type", help="PLOVER event type, e.g. ASSAULT")
    p.add_argument("--cameo", help="CAMEO code or prefix, e.g. 19")
    p.add_argument("--quad", type=int, choices=range(0, 5), help="quad class 0-4")
    p.add_argument("--since", help="first date, YYYY-MM-DD")
    p.add_argument("--until", help="last date, YYYY-MM-DD")
    p.add_argument("--place", help="place name")
    p.add_argument("--text", help="words in the evidence sentence")
    p.add_argument("--level", choices=("event", "mention"), default="event",
                   help="deduplicated events (default) or every mention")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("-f", "--format", choices=("table", "jsonl", "csv", "parquet"), default=None)
    p.add_argument("-o", "--output", help="write to this file")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("stats", help="counts by type, by month and the top dyads")
    _db(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("export", help="export the store as GDELT, ICEWS, PLOVER, CSV or Parquet")
    _db(p)
    p.add_argument("--format", required=True, choices=("gdelt", "icews", "plover", "csv", "parquet", "jsonl"))
    p.add_argument("-o", "--output", required=True, help="file (directory for parquet, partitioned by year/month)")
    p.add_argument("--level", choices=("event", "mention"), default=None)
    p.set_defaults(func=cmd_export)


def _open(args: argparse.Namespace) -> Any:
    from pathlib import Path

    from ._config import default_db_path
    from .store import open_store

    path = Path(args.db) if args.db else default_db_path()
    if not path.exists():
        raise EventcoderError(f"{path}: no store there yet (code something with `eventcoder code INPUT --store`)")
    return open_store(path, read_only=True)


def cmd_query(args: argparse.Namespace) -> int:
    from .export._formats import write_query_result

    fmt = args.format or ("table" if sys.stdout.isatty() and not args.output else "jsonl")
    if fmt == "parquet" and not args.output:
        raise EventcoderError("-f parquet needs -o FILE")
    filters = {k: getattr(args, k) for k in ("actor", "source", "target", "country", "type", "cameo", "quad",
                                             "since", "until", "place", "text")}
    with _open(args) as store:
        rows = store.query(**filters, level=args.level, limit=args.limit)
    write_query_result(rows, fmt, args.output or sys.stdout)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with _open(args) as store:
        stats = store.stats()
    if args.json:
        print(json.dumps(stats, indent=2, default=str))
        return 0
    for key, value in stats.items():
        if isinstance(value, list | dict) and value:
            print(f"{key}:")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for k, v in items:
                print(f"  {v}" if isinstance(k, int) else f"  {k}: {v}")
        else:
            print(f"{key}: {value}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export._formats import export_store

    with _open(args) as store:
        n = export_store(store, args.format, args.output, level=args.level)
    print(f"wrote {n} rows to {args.output}", file=sys.stderr)
    return 0
