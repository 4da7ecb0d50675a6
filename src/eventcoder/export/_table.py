"""A readable terminal table of coded events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table

__all__ = ["print_table"]


def _actors(actors: Iterable[Mapping[str, Any]]) -> str:
    parts = []
    for a in actors:
        code = a.get("code") or "?"
        parts.append(f"{code} ({a.get('text')})" if a.get("text") else code)
    return "; ".join(parts) or "-"


def _place(loc: Mapping[str, Any] | None) -> str:
    if not loc:
        return ""
    return f"{loc.get('name')}, {loc.get('country') or '?'}"


def print_table(events: Iterable[Mapping[str, Any]], stream: TextIO | None = None, width: int | None = None) -> int:
    """Print events as a table; returns how many were printed."""
    console = Console(file=stream, width=width, soft_wrap=False)
    table = Table(show_lines=False, expand=False, header_style="bold")
    for name in ("doc", "date", "source", "event", "target", "place", "trigger", "conf"):
        table.add_column(name, overflow="fold")
    n = 0
    for e in events:
        mod = e.get("modality") or {}
        flags = "".join(f for f, k in (("?", "question"), ("~", "hypothetical"), (">", "future"), ("!", "negated"))
                        if mod.get(k))
        kind = f"{e.get('cameo')} {e.get('plover') or ''}{(' ' + flags) if flags else ''}"
        date = e.get("date") or ""
        if e.get("date_precision") not in (None, "day", "unknown"):
            date = f"{date} ({e['date_precision']})"
        table.add_row(str(e.get("doc_id")), date, _actors(e.get("source") or []), kind,
                      _actors(e.get("target") or []), _place(e.get("location")), str(e.get("trigger")),
                      f"{float(e.get('confidence', 0)):.2f}")
        n += 1
    console.print(table)
    return n
