"""Aggregates over the filtered events: counts, timeline, network, actors and places.

These run as SQL on the DuckDB store's connection (the store has no aggregate methods beyond ``stats``); the
caller holds the service lock, so the connection is used by one thread at a time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Literal

from ._filters import Filters, Level, date_expr

__all__ = [
    "QUAD_LABELS",
    "count_rows",
    "export_table",
    "network",
    "places",
    "representative_records",
    "timeline",
    "top_actors",
]

QUAD_LABELS = {0: "Statements and appeals", 1: "Verbal cooperation", 2: "Material cooperation",
               3: "Verbal conflict", 4: "Material conflict"}

Interval = Literal["day", "week", "auto"]
GroupBy = Literal["quad", "type"]


def _table(level: Level) -> str:
    return "events e" if level == "event" else "mentions m"


def _alias(level: Level) -> str:
    return "e." if level == "event" else "m."


def _fetch(con: Any, sql: str, params: list[Any]) -> list[tuple]:
    return con.execute(sql, params).fetchall()


def count_rows(con: Any, filters: Filters, level: Level = "event") -> int:
    where, params = filters.where(level)
    return int(_fetch(con, f"SELECT count(*) FROM {_table(level)} WHERE {where}", params)[0][0])


def _periods(first: dt.date, last: dt.date, step: int) -> list[dt.date]:
    out = []
    day = first
    while day <= last:
        out.append(day)
        day += dt.timedelta(days=step)
    return out


def timeline(con: Any, filters: Filters, level: Level = "event", interval: Interval = "auto",
             by: GroupBy = "quad", max_days: int = 180) -> dict[str, Any]:
    """Counts per day (or week, starting Monday) per quad class or PLOVER type, zero-filled.

    ``interval="auto"`` uses days when the dated events span at most ``max_days`` days, weeks otherwise.
    """
    where, params = filters.where(level)
    day = date_expr(level)
    t = _alias(level)
    lo, hi, undated = _fetch(
        con, f"SELECT min({day}), max({day}), count(*) FILTER (WHERE {day} IS NULL) FROM {_table(level)} "
             f"WHERE {where}", params)[0]
    if interval == "auto":
        interval = "day" if lo is None or (hi - lo).days <= max_days else "week"
    bucket = f"CAST({day} AS DATE)" if interval == "day" else f"CAST(date_trunc('week', {day}) AS DATE)"
    key = f"{t}quad_class" if by == "quad" else f"COALESCE({t}plover, 'OTHER')"
    rows = _fetch(con, f"SELECT {bucket} p, {key} k, count(*) FROM {_table(level)} "
                       f"WHERE {where} AND {day} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2", params)
    periods: list[dt.date] = []
    if rows:
        first, last = rows[0][0], max(r[0] for r in rows)
        periods = _periods(first, last, 1 if interval == "day" else 7)
    index = {p: i for i, p in enumerate(periods)}
    counts: dict[Any, list[int]] = defaultdict(lambda: [0] * len(periods))
    for period, k, n in rows:
        counts[k][index[period]] = int(n)
    keys = sorted(counts, key=lambda k: (-sum(counts[k]), str(k))) if by == "type" else sorted(counts)
    series = [{"key": str(k), "label": QUAD_LABELS.get(k, str(k)) if by == "quad" else str(k), "counts": counts[k]}
              for k in keys]
    total = sum(sum(c) for c in counts.values())
    return {"interval": interval, "by": by, "level": level, "periods": [p.isoformat() for p in periods],
            "series": series, "total": total, "undated": int(undated or 0)}


def network(con: Any, filters: Filters, level: Level = "event", max_edges: int = 150) -> dict[str, Any]:
    """Directed source -> target edges with their event count and mean Goldstein score, and their nodes."""
    where, params = filters.where(level)
    t = _alias(level)
    rows = _fetch(
        con, f"SELECT {t}source_code, {t}target_code, count(*) n, avg({t}goldstein) g "
             f"FROM {_table(level)} WHERE {where} AND {t}source_code IS NOT NULL AND {t}target_code IS NOT NULL "
             f"GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT ?", params + [int(max_edges)])
    edges = [{"source": s, "target": tg, "count": int(n), "goldstein": round(float(g), 2) if g is not None else None}
             for s, tg, n, g in rows]
    codes = sorted({e["source"] for e in edges} | {e["target"] for e in edges})
    info = _actor_info(con, codes, level) if codes else {}
    weight: dict[str, int] = defaultdict(int)
    for e in edges:
        weight[e["source"]] += e["count"]
        if e["target"] != e["source"]:
            weight[e["target"]] += e["count"]
    nodes = [{"id": c, "name": info.get(c, (None, None))[0], "country": info.get(c, (None, None))[1],
              "count": weight[c]} for c in codes]
    return {"nodes": nodes, "edges": edges, "level": level}


def _actor_info(con: Any, codes: list[str], level: Level) -> dict[str, tuple[str | None, str | None]]:
    table = "events" if level == "event" else "mentions"
    rows = _fetch(
        con, f"SELECT code, mode(name), mode(country) FROM ("
             f"SELECT source_code code, source_name name, source_country country FROM {table} "
             f"WHERE source_code IN (SELECT unnest(?::VARCHAR[])) UNION ALL "
             f"SELECT target_code, target_name, target_country FROM {table} "
             f"WHERE target_code IN (SELECT unnest(?::VARCHAR[]))) GROUP BY code", [codes, codes])
    return {code: (name, country) for code, name, country in rows}


def top_actors(con: Any, filters: Filters, level: Level = "event", limit: int = 50,
               prefix: str | None = None) -> list[dict[str, Any]]:
    """Actors by number of events (as source or target), with their most common name, country and sector."""
    where, params = filters.where(level)
    extra, extra_params = ("", [])
    if prefix:
        extra, extra_params = " AND starts_with(code, ?)", [prefix.upper()]
    rows = _fetch(
        con, f"WITH f AS (SELECT * FROM {_table(level)} WHERE {where}) "
             f"SELECT code, mode(name), mode(country), mode(sector), sum(s), sum(1 - s), count(*) FROM ("
             f"SELECT source_code code, source_name name, source_country country, source_sector sector, 1 s FROM f "
             f"UNION ALL SELECT target_code, target_name, target_country, target_sector, 0 FROM f) "
             f"WHERE code IS NOT NULL{extra} GROUP BY code ORDER BY count(*) DESC, code LIMIT ?",
        params + extra_params + [int(limit)])
    return [{"code": code, "name": name, "country": country, "sector": sector, "as_source": int(s),
             "as_target": int(tg), "events": int(n)} for code, name, country, sector, s, tg, n in rows]


def places(con: Any, filters: Filters, level: Level = "event", limit: int = 2000) -> list[dict[str, Any]]:
    """Event locations with coordinates: one point per place, with counts per quad class and mean Goldstein."""
    quads = ", ".join(f"count(*) FILTER (WHERE {_alias(level)}quad_class = {q})" for q in QUAD_LABELS)
    where, params = filters.where(level)
    t = _alias(level)
    rows = _fetch(
        con, f"SELECT {t}location_name, {t}location_country, {t}location_admin1, {t}location_precision, "
             f"round({t}location_lat, 4) lat, round({t}location_lon, 4) lon, count(*) n, avg({t}goldstein), "
             f"{quads} FROM {_table(level)} "
             f"WHERE {where} AND {t}location_lat IS NOT NULL AND {t}location_lon IS NOT NULL "
             f"GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY n DESC, 1 LIMIT ?", params + [int(limit)])
    return [{"name": name, "country": country, "admin1": admin1, "precision": precision, "lat": lat, "lon": lon,
             "count": int(n), "goldstein": round(float(g), 2) if g is not None else None,
             "by_quad": {str(q): int(c) for q, c in zip(QUAD_LABELS, counts, strict=True)}}
            for name, country, admin1, precision, lat, lon, n, g, *counts in rows]


def representative_records(con: Any, mention_ids: list[str]) -> dict[str, Any]:
    """The JSON records of the given mentions, by mention id."""
    if not mention_ids:
        return {}
    rows = _fetch(con, "SELECT mention_id, record FROM mentions WHERE mention_id IN (SELECT unnest(?::VARCHAR[]))",
                  [mention_ids])
    return {mid: record for mid, record in rows}


def export_table(con: Any, filters: Filters, level: Level = "event", limit: int | None = None,
                 offset: int = 0) -> Any:
    """The filtered rows as an Arrow table with typed columns (dates stay dates), ordered as ``Store.query``."""
    where, params = filters.where(level)
    if level == "event":
        sql = (f"SELECT e.*, d.title, d.outlet FROM events e LEFT JOIN documents d ON d.id = e.doc_id "
               f"WHERE {where} ORDER BY e.date NULLS LAST, e.event_id")
    else:
        sql = (f"SELECT m.* EXCLUDE (record), d.url, d.title, d.outlet, d.date AS doc_date FROM mentions m "
               f"LEFT JOIN documents d ON d.id = m.doc_id WHERE {where} "
               f"ORDER BY COALESCE(m.date, m.dedup_date) NULLS LAST, m.doc_id, m.mention_index")
    if limit is not None:
        sql += " LIMIT ?"
        params = params + [int(limit)]
    if offset:
        sql += " OFFSET ?"
        params = params + [int(offset)]
    return con.sql(sql, params=params).to_arrow_table()
