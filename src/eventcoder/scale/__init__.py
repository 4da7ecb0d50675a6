"""Scale: resumable batch coding on local processes or Ray, loading batch output into the store, live feeds.

Command line (see ``docs/scaling.md``)::

    eventcoder batch INPUT... --out DIR [--engine local|ray] [--workers N] [--ray-address ADDR] [--shard-size N]
    eventcoder ingest DIR [--db PATH]
    eventcoder watch SOURCE... [--interval S] [--db PATH] [--once]

The same from Python: :func:`run_batch`, :func:`ingest_parts`, :class:`Watcher`.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from typing import Any

from ..errors import EventcoderError
from ._batch import DEFAULT_SHARD_SIZE, BatchSummary, IngestSummary, ingest_parts, iter_coded_documents, run_batch
from ._engines import ENGINES, ray_available
from ._inputs import Shard, iter_batch_documents, iter_shards
from ._parts import DOCUMENT_PART_COLUMNS, EVENT_PART_COLUMNS, Manifest
from ._watch import WatchState, WatchSummary, Watcher, fetch_url, parse_feed, state_path_for, watch

__all__ = [
    "DEFAULT_SHARD_SIZE",
    "DOCUMENT_PART_COLUMNS",
    "ENGINES",
    "EVENT_PART_COLUMNS",
    "BatchSummary",
    "IngestSummary",
    "Manifest",
    "Shard",
    "WatchState",
    "WatchSummary",
    "Watcher",
    "cmd_batch",
    "cmd_ingest",
    "cmd_watch",
    "fetch_url",
    "ingest_parts",
    "iter_batch_documents",
    "iter_coded_documents",
    "iter_shards",
    "parse_feed",
    "ray_available",
    "register_cli",
    "run_batch",
    "state_path_for",
    "watch",
]


def _date(value: str) -> str:
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _seconds(value: str) -> float:
    try:
        s = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if s <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return s


def register_cli(sub: Any) -> None:
    """Add the ``batch``, ``ingest`` and ``watch`` sub-commands to ``sub`` (the main parser's subparsers)."""
    p = sub.add_parser("batch", help="code large inputs in resumable shards (local processes or Ray)",
                       description="Code JSONL (.gz), Parquet, text/HTML files and directories into Parquet parts, "
                                   "one per shard; rerunning the same command resumes where a run stopped.")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help=".jsonl, .jsonl.gz, .parquet (columns id, text, date?, title?, url?), .txt, .html, directories")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory (parts and manifest.json)")
    p.add_argument("--engine", choices=ENGINES, default="local", help="local process pool (default) or Ray Data")
    p.add_argument("--workers", type=_positive, default=None, metavar="N",
                   help="coder processes / Ray actors (default: the number of CPUs); each loads the model once")
    p.add_argument("--ray-address", metavar="ADDR",
                   help="Ray cluster to use (ray://host:10001 or auto); default: start Ray on this machine")
    p.add_argument("--shard-size", type=_positive, default=DEFAULT_SHARD_SIZE, metavar="N",
                   help=f"documents per shard and part (default {DEFAULT_SHARD_SIZE})")
    p.add_argument("--date", type=_date, help="publication date for documents that carry none (YYYY-MM-DD)")
    p.add_argument("--keep-negated", action="store_true", help="also output negated events (flagged)")
    p.add_argument("--recode", action="store_true", help="code every shard again, even finished ones")
    p.add_argument("--json", action="store_true", help="print a summary as JSON on standard output")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines, only warnings")
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("ingest", help="load the parts of a batch run into the event store",
                       description="Load the finished shards of an `eventcoder batch` output directory into the "
                                   "store; documents already stored with the same text and coder version are "
                                   "skipped, so it is safe to repeat.")
    p.add_argument("directory", metavar="DIR", help="the --out directory of eventcoder batch")
    p.add_argument("--db", help="DuckDB store file (default: $EVENTCODER_DB or the user data directory)")
    p.add_argument("--json", action="store_true", help="print a summary as JSON on standard output")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("watch", help="poll RSS/Atom feeds and article URLs, code new articles into the store",
                       description="Poll feeds and article pages; new articles (by URL and by text) are extracted, "
                                   "coded and stored. Failures are logged and retried with exponential backoff.")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="RSS/Atom feed or article URL (http/https)")
    p.add_argument("--interval", type=_seconds, default=300.0, metavar="S", help="seconds between passes (300)")
    p.add_argument("--db", help="DuckDB store file (default: $EVENTCODER_DB or the user data directory)")
    p.add_argument("--once", action="store_true", help="do a single pass and exit (for cron and tests)")
    p.add_argument("--state", metavar="PATH", help="state file of seen URLs (default: <db>.watch.sqlite)")
    p.add_argument("--timeout", type=_seconds, default=20.0, metavar="S", help="seconds per HTTP request (20)")
    p.add_argument("-q", "--quiet", action="store_true", help="only warnings")
    p.set_defaults(func=cmd_watch)


def _setup_logging(quiet: bool) -> None:
    """One line per message on standard error, unless the application configured logging itself."""
    for name in ("eventcoder.scale", "eventcoder.watch"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.WARNING if quiet else logging.INFO)
        if not logger.handlers and not logging.getLogger().handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("eventcoder: %(message)s"))
            logger.addHandler(handler)
            logger.propagate = False


def cmd_batch(args: argparse.Namespace) -> int:
    _setup_logging(args.quiet)
    workers = args.workers or max(1, os.cpu_count() or 1)
    summary = run_batch(args.inputs, args.out, engine=args.engine, workers=workers, shard_size=args.shard_size,
                        ray_address=args.ray_address, model=getattr(args, "model", None),
                        keep_negated=args.keep_negated, date=args.date, recode=args.recode)
    if args.json:
        print(json.dumps(summary.to_dict(), indent=2))
    else:
        print(f"eventcoder: {summary.documents} documents in {summary.shards} shards: {summary.coded} coded "
              f"({summary.events} events), {summary.skipped} already done; parts in {summary.out}",
              file=sys.stderr)
    if summary.failed_documents:
        print(f"eventcoder: the coder failed on {summary.failed_documents} document(s); see the 'error' column "
              f"of the documents parts", file=sys.stderr)
    if summary.input_errors:
        print(f"eventcoder: {summary.input_errors} input(s) could not be read (reported above)", file=sys.stderr)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    summary = ingest_parts(args.directory, args.db)
    if args.json:
        print(json.dumps(summary.to_dict(), indent=2))
    else:
        print(f"eventcoder: {summary.documents} documents ({summary.events} events) from {summary.shards} shards: "
              f"{summary.written} written to {summary.db}, {summary.documents - summary.written} already stored",
              file=sys.stderr)
    if summary.shards_pending:
        print(f"eventcoder: {summary.shards_pending} shard(s) not finished yet; rerun the batch command, then "
              f"ingest again", file=sys.stderr)
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    _setup_logging(args.quiet)
    with Watcher(args.sources, args.db, state=args.state, model=getattr(args, "model", None),
                 timeout=args.timeout) as watcher:
        if not args.once:
            watcher.run(args.interval)
            return 0
        summary = watcher.run_once()
    print(f"eventcoder: {summary.stored} new articles stored ({summary.events} events), {summary.duplicates} "
          f"duplicates, {summary.failed + summary.sources_failed} failures", file=sys.stderr)
    return 1 if summary.sources and summary.sources_failed == summary.sources else 0


def _main(argv: list[str] | None = None) -> int:
    """``python -m eventcoder.scale``: these sub-commands alone (the ``eventcoder`` command has them too)."""
    parser = argparse.ArgumentParser(prog="eventcoder", description="Batch coding, ingest and live feeds.")
    parser.add_argument("--model", help="spaCy pipeline to use (default: $EVENTCODER_MODEL or the bundled model)")
    register_cli(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except EventcoderError as exc:
        print(f"eventcoder: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("eventcoder: interrupted", file=sys.stderr)
        return 130
