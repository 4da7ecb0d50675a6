"""Flat (one value per column) event rows, for CSV and Parquet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["FLAT_COLUMNS", "flat_event", "write_parquet"]

_ACTOR_FIELDS = ("code", "text", "country", "sector", "name")
FLAT_COLUMNS = (
    ["doc_id", "sentence_index", "evidence_text", "evidence_start", "evidence_end", "trigger", "rule", "cameo",
     "cameo_root", "plover", "quad_class", "goldstein", "confidence"]
    + [f"source_{f}" for f in _ACTOR_FIELDS]
    + [f"target_{f}" for f in _ACTOR_FIELDS]
    + ["reciprocal", "attributed_to", "date", "date_precision", "date_text", "date_source", "location_name",
       "location_country", "location_admin1", "location_lat", "location_lon", "location_precision", "negated",
       "future", "hypothetical", "question"]
)


def flat_event(e: Mapping[str, Any]) -> dict[str, Any]:
    """One event dict as a flat row; the first source and target actor fill the actor columns."""
    row: dict[str, Any] = {c: None for c in FLAT_COLUMNS}
    for key in ("doc_id", "sentence_index", "trigger", "rule", "cameo", "cameo_root", "plover", "quad_class",
                "goldstein", "confidence", "reciprocal", "date", "date_precision", "date_text", "date_source"):
        row[key] = e.get(key)
    ev = e.get("evidence") or {}
    row["evidence_text"], row["evidence_start"], row["evidence_end"] = ev.get("text"), ev.get("start"), ev.get("end")
    for side in ("source", "target"):
        actors = e.get(side) or []
        first = actors[0] if actors else {}
        for f in _ACTOR_FIELDS:
            row[f"{side}_{f}"] = first.get(f)
    row["attributed_to"] = ";".join(a.get("code") or a.get("text") or "" for a in e.get("attributed_to") or []) or None
    loc = e.get("location") or {}
    for f in ("name", "country", "admin1", "lat", "lon", "precision"):
        row[f"location_{f}"] = loc.get(f)
    mod = e.get("modality") or {}
    for f in ("negated", "future", "hypothetical", "question"):
        row[f] = bool(mod.get(f))
    return row


def write_parquet(events: Iterable[Mapping[str, Any]], path: Path) -> int:
    """Write events as one Parquet file of flat rows; returns the row count."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [flat_event(e) for e in events]
    schema = pa.schema([(c, _type(c)) for c in FLAT_COLUMNS])
    table = pa.Table.from_pylist(rows, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return table.num_rows


def _type(column: str):  # type: ignore[no-untyped-def]
    import pyarrow as pa

    if column in ("sentence_index", "evidence_start", "evidence_end", "quad_class"):
        return pa.int32()
    if column in ("goldstein", "confidence", "location_lat", "location_lon"):
        return pa.float64()
    if column in ("reciprocal", "negated", "future", "hypothetical", "question"):
        return pa.bool_()
    return pa.string()
