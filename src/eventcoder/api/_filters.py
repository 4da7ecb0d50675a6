"""The query filters shared by every read endpoint (the filters of ``eventcoder query``).

:class:`Filters` is read from the query string by :func:`filters_from_query`; it passes them on to
``Store.query`` and, for the aggregates the store does not offer (timeline, network, actors, places, counts),
turns them into a SQL ``WHERE`` clause over the store's ``events`` or ``mentions`` table with the same meaning
as ``Store.query`` (a test checks that both select the same rows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import Field

__all__ = ["Filters", "Level", "filters_from_query"]

Level = Literal["event", "mention"]


@dataclass(frozen=True, slots=True)
class Filters:
    actor: str | None = None
    source: str | None = None
    target: str | None = None
    country: str | None = None
    type: str | None = None
    cameo: str | None = None
    quad: tuple[int, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    place: str | None = None
    text: str | None = None

    def store_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``Store.query`` (unset filters left out)."""
        out = {k: v for k, v in asdict(self).items() if v not in (None, (), "")}
        if "quad" in out:
            out["quad"] = list(out["quad"])
        return out

    def where(self, level: Level = "event") -> tuple[str, list[Any]]:
        """``(sql, params)``: a condition on alias ``e`` (events) or ``m`` (mentions); ``"TRUE"`` when unfiltered."""
        t = "e." if level == "event" else "m."
        conds: list[str] = []
        params: list[Any] = []
        for value, sql in (
            (self.actor, f"(starts_with({t}source_code, ?) OR starts_with({t}target_code, ?))"),
            (self.source, f"starts_with({t}source_code, ?)"),
            (self.target, f"starts_with({t}target_code, ?)"),
        ):
            if value:
                conds.append(sql)
                params += [value.upper()] * sql.count("?")
        if self.country:
            conds.append(f"? IN ({t}source_country, {t}target_country, {t}location_country)")
            params.append(self.country.upper())
        if self.type:
            conds.append(f"{t}plover = ?")
            params.append(self.type.upper())
        if self.cameo:
            conds.append(f"starts_with({t}cameo, ?)")
            params.append(self.cameo)
        if self.quad:
            conds.append(f"{t}quad_class IN ({', '.join('?' for _ in self.quad)})")
            params += list(self.quad)
        day = date_expr(level)
        if self.since:
            conds.append(f"{day} >= ?")
            params.append(self.since)
        if self.until:
            conds.append(f"{day} <= ?")
            params.append(self.until)
        if self.place:
            conds.append(f"(contains(lower({t}location_name), ?) OR contains(lower({t}location_admin1), ?) "
                         f"OR {t}location_country = ?)")
            params += [self.place.lower(), self.place.lower(), self.place.upper()]
        if self.text:
            words = [w.lower() for w in self.text.split()]
            if words:
                has_all = " AND ".join("contains(lower(x.evidence_text), ?)" for _ in words)
                if level == "event":
                    conds.append(f"e.event_id IN (SELECT x.event_id FROM mentions x WHERE {has_all})")
                else:
                    conds.append(has_all.replace("x.", "m."))
                params += words
        return (" AND ".join(conds) if conds else "TRUE"), params

    def query_string(self) -> dict[str, Any]:
        """The filters as query-string parameters (for links to the JSON twins)."""
        out: dict[str, Any] = {}
        for key, value in asdict(self).items():
            if value in (None, (), ""):
                continue
            out[key] = [str(q) for q in value] if key == "quad" else str(value)
        return out


def date_expr(level: Level) -> str:
    """The column a date filter applies to, as in ``Store.query``."""
    return "e.date" if level == "event" else "COALESCE(m.date, m.dedup_date)"


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def filters_from_query(
    actor: Annotated[str | None, Query(description="CAMEO actor code prefix, source or target (FRA matches FRAGOV)",
                                       max_length=64)] = None,
    source: Annotated[str | None, Query(description="source actor code prefix", max_length=64)] = None,
    target: Annotated[str | None, Query(description="target actor code prefix", max_length=64)] = None,
    country: Annotated[str | None, Query(description="ISO3 country of either actor or of the place",
                                         max_length=3)] = None,
    type: Annotated[str | None, Query(description="PLOVER event type, e.g. ACCUSE", max_length=32)] = None,
    cameo: Annotated[str | None, Query(description="CAMEO code prefix, e.g. 19 or 042", pattern=r"^\d{1,4}$")] = None,
    quad: Annotated[list[Annotated[int, Field(ge=0, le=4)]] | None,
                    Query(description="quad class 0-4 (repeat for several): 0 statements and appeals, "
                                      "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, "
                                      "4 material conflict")] = None,
    since: Annotated[dt.date | None, Query(description="first day, YYYY-MM-DD (inclusive)")] = None,
    until: Annotated[dt.date | None, Query(description="last day, YYYY-MM-DD (inclusive)")] = None,
    place: Annotated[str | None, Query(description="part of the place name, its region, or its ISO3 country",
                                       max_length=128)] = None,
    text: Annotated[str | None, Query(description="words that must all appear in the evidence sentence",
                                      max_length=256)] = None,
) -> Filters:
    """FastAPI dependency: the filters from the query string (blank values count as unset)."""
    return Filters(actor=_clean(actor), source=_clean(source), target=_clean(target), country=_clean(country),
                   type=_clean(type), cameo=_clean(cameo), quad=tuple(sorted(set(quad or ()))), since=since,
                   until=until, place=_clean(place), text=_clean(text))
