"""Deduplication: mentions of the same real-world event become one event.

Two mentions belong to the same event when

* they have the same **key**: source actor code, target actor code and CAMEO root (or PLOVER type, see
  :attr:`DedupSettings.type_field`); an unknown code only matches an unknown code;
* their **days** are close: every mention of an event lies within :attr:`DedupSettings.window_days` of the
  event's first mention (the event's span is at most the window, so a run of daily protests does not chain into
  one month-long event);
* their **places** agree: the same place (GeoNames id, else the place name), or one of them has no place, or
  only a country that matches.

A mention's day is its event date when that is known to the day (or week); the document's publication date when
the event has no date; and **unknown** when the event date is only known to the month, year or decade (see
:func:`eventcoder.store.clustering_date`). Undated mentions never join mentions of other articles, nor dated
ones: they form events with the other undated mentions of the same key in their own article (an article's
"in 2019 ..." background mention is rarely the event its dated mentions report).

By default only asserted mentions are clustered (:attr:`DedupSettings.asserted_only`): negated, future,
hypothetical and questioned mentions stay in the ``mentions`` table with ``event_id`` NULL.

**Algorithm.** For one key, dated mentions are taken in order of day, then place specificity (a named place,
a country only, nothing), article and position. Each joins the compatible event, among those that started at
most ``window_days`` earlier, with the most mentions (ties: the earliest start, then the earliest founding
mention), or founds a new event. The event id is a hash of the key and the founding mention, so it is stable
while that mention is stored. The result depends only on the set of mentions, never on the order documents
were written in.

**Incremental updates.** Because mentions are taken in day order, everything before the earliest day a write
changed (``since``) is unaffected, and events that started more than ``window_days`` before it are final. A
write therefore only replays the key from ``since``: it rebuilds the events still open at ``since`` from their
earlier mentions and processes the mentions from ``since`` on. This gives exactly the clustering a full
recomputation (``Store.rebuild_events()``) gives, at a cost that depends on how far back the write reaches, not
on how many mentions the key has.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

__all__ = ["Cluster", "DedupSettings", "NeedsFullRecompute", "ROW_FIELDS", "cluster_mentions", "event_id_of",
           "recluster_key"]

_TYPE_FIELDS = ("cameo_root", "plover")


@dataclass(frozen=True, slots=True)
class DedupSettings:
    """Thresholds for merging mentions into events (stored with the database; changing them rebuilds events)."""

    #: Largest span, in days, between the first and the last mention of one event.
    window_days: int = 2
    #: What "same kind of event" means: ``cameo_root`` (default) or ``plover`` (PLOVER type; codes without a
    #: PLOVER type fall back to their CAMEO root).
    type_field: str = "cameo_root"
    #: Require compatible places (same place, or unknown on either side). False ignores places.
    match_place: bool = True
    #: Cluster only asserted mentions (not negated, future, hypothetical or questioned).
    asserted_only: bool = True

    def __post_init__(self) -> None:
        if self.type_field not in _TYPE_FIELDS:
            raise ValueError(f"type_field must be one of {_TYPE_FIELDS}, not {self.type_field!r}")
        if int(self.window_days) < 0:
            raise ValueError("window_days must be >= 0")

    def key_sql(self, alias: str = "") -> str:
        """SQL expression computing a mention's dedup key from the ``mentions`` columns (``alias``: a table
        prefix such as ``"m."``)."""
        a = alias
        kind = f"{a}cameo_root" if self.type_field == "cameo_root" else f"COALESCE({a}plover, 'CAMEO' || {a}cameo_root)"
        return f"(COALESCE({a}source_code, '') || '|' || COALESCE({a}target_code, '') || '|' || COALESCE({kind}, ''))"

    def asserted_sql(self, alias: str = "") -> str:
        """SQL condition selecting the mentions that take part in clustering."""
        if not self.asserted_only:
            return "TRUE"
        a = alias
        return f"NOT ({a}negated OR {a}future OR {a}hypothetical OR {a}question)"

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> DedupSettings:
        data = json.loads(text)
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass(slots=True)
class Cluster:
    """One deduplicated event: its id, key, members (mention ids), representative and founding mention."""

    event_id: str
    key: str
    founder: str
    members: list[str] = field(default_factory=list)
    representative: str = ""


#: The leading fields of a mention row given to :func:`cluster_mentions` / :func:`recluster_key`, in order.
#: ``event_id`` and ``event_date`` (the start of the mention's current event) are only read by
#: :func:`recluster_key`; rows may carry further fields after these.
ROW_FIELDS = (
    "mention_id", "dedup_key", "doc_id", "mention_index", "dedup_date", "location_country",
    "location_geonames_id", "location_name", "location_precision", "confidence", "cameo", "event_id", "event_date",
)

# Prepared item layout (a tuple, for speed):
_DAY, _TIER, _DOC, _IDX, _MID, _COUNTRY, _PLACE, _CONF, _CAMEO, _EVENT, _START = range(11)
_NO_DAY = 10**9


class NeedsFullRecompute(Exception):
    """Raised by :func:`recluster_key` when stored assignments are incomplete; recompute the key from scratch."""


@dataclass(slots=True)
class _Work:
    first: int
    order: tuple
    country: str | None
    place: Any
    members: list[tuple] = field(default_factory=list)


def _place(geonames_id: Any, name: str | None, precision: str | None) -> Any:
    if precision == "country":
        return None
    if geonames_id is not None:
        return ("g", int(geonames_id))
    if name:
        return ("n", " ".join(name.casefold().split()))
    return None


def _prepare(r: Sequence[Any], match_place: bool) -> tuple:
    day = r[4]
    country = r[5] if match_place else None
    place = _place(r[6], r[7], r[8]) if match_place else None
    tier = 0 if place is not None else (1 if country else 2)
    start = r[12] if len(r) > 12 else None
    return (
        day.toordinal() if isinstance(day, date) else None, tier, r[2] or "", r[3] or 0, r[0], country, place,
        r[9], r[10], r[11] if len(r) > 11 else None, start.toordinal() if isinstance(start, date) else None,
    )


def _order(item: tuple) -> tuple:
    return (item[_DAY] if item[_DAY] is not None else _NO_DAY, item[_TIER], item[_DOC], item[_IDX], item[_MID])


def event_id_of(key: str, founder: str) -> str:
    """An event's id: 16 hex digits of a hash of its key and its founding mention's id."""
    return hashlib.sha1(f"{key}\x1f{founder}".encode()).hexdigest()[:16]


def _compatible(c: _Work, item: tuple) -> bool:
    country, place = item[_COUNTRY], item[_PLACE]
    if country and c.country and country != c.country:
        return False
    if place is not None and c.place is not None and place != c.place:
        return False
    return True


def _add(c: _Work, item: tuple) -> None:
    c.members.append(item)
    if c.country is None and item[_COUNTRY]:
        c.country = item[_COUNTRY]
    if c.place is None and item[_PLACE] is not None:
        c.place = item[_PLACE]


def _new(item: tuple) -> _Work:
    c = _Work(first=item[_DAY] if item[_DAY] is not None else _NO_DAY, order=_order(item),
              country=item[_COUNTRY], place=item[_PLACE])
    _add(c, item)
    return c


def _best(candidates: list[_Work]) -> _Work | None:
    if not candidates:
        return None
    return min(candidates, key=lambda c: (-len(c.members), c.first, c.order))


def _finish(key: str, work: list[_Work]) -> list[Cluster]:
    out = []
    for c in work:
        founder = c.members[0][_MID]
        if len(c.members) == 1:
            rep = founder
        else:
            rep = min(c.members, key=lambda p: (-(p[_CONF] or 0.0), -len(p[_CAMEO] or ""), *_order(p)))[_MID]
        out.append(Cluster(event_id=event_id_of(key, founder), key=key, founder=founder,
                           members=[p[_MID] for p in c.members], representative=rep))
    return out


def _cluster_dated(items: list[tuple], window: int, open_clusters: list[_Work]) -> list[_Work]:
    """Process dated items in order; ``open_clusters`` is the state before the first of them."""
    made: list[_Work] = list(open_clusters)
    active = sorted(open_clusters, key=lambda c: c.first)
    for item in sorted(items, key=_order):
        day = item[_DAY]
        if active and active[0].first < day - window:
            active = [c for c in active if c.first >= day - window]
        chosen = _best([c for c in active if _compatible(c, item)])
        if chosen is None:
            chosen = _new(item)
            made.append(chosen)
            active.append(chosen)
        else:
            _add(chosen, item)
    return made


def _cluster_undated(items: list[tuple]) -> list[_Work]:
    """Undated items: events within their own article only."""
    made: list[_Work] = []
    by_doc: dict[str, list[tuple]] = defaultdict(list)
    for item in items:
        by_doc[item[_DOC]].append(item)
    for doc_id in sorted(by_doc):
        local: list[_Work] = []
        for item in sorted(by_doc[doc_id], key=_order):
            chosen = _best([c for c in local if _compatible(c, item)])
            if chosen is None:
                chosen = _new(item)
                local.append(chosen)
            else:
                _add(chosen, item)
        made.extend(local)
    return made


def recluster_key(key: str, rows: Sequence[Sequence[Any]], since: date | None,
                  settings: DedupSettings | None = None) -> list[Cluster]:
    """Recompute the events of one key from ``since`` on (``None``: from scratch).

    ``rows`` must hold every clustered mention of the key dated on or after ``since - window_days`` (with their
    current ``event_id`` and ``event_date``) and the undated mentions to regroup. Returns the events to
    (re)write: those that started on or after ``since - window_days``, and the undated ones. Events that started
    earlier are final and left out, as are their mentions.
    Raises :class:`NeedsFullRecompute` if a mention before ``since`` has no stored event.
    """
    settings = settings or DedupSettings()
    window = int(settings.window_days)
    items = [_prepare(r, settings.match_place) for r in rows]
    dated = [p for p in items if p[_DAY] is not None]
    undated = [p for p in items if p[_DAY] is None]
    if since is None:
        work = _cluster_dated(dated, window, [])
    else:
        cut = since.toordinal()
        replay: list[tuple] = []
        prefix: dict[str, list[tuple]] = defaultdict(list)
        for p in dated:
            if p[_DAY] >= cut:
                replay.append(p)
            elif p[_EVENT] is None or p[_START] is None:
                raise NeedsFullRecompute(key)
            elif p[_START] >= cut - window:
                prefix[p[_EVENT]].append(p)
            # else: a member of an event that closed before ``since``: final, untouched
        open_clusters = []
        for members in prefix.values():
            members.sort(key=_order)
            c = _new(members[0])
            for p in members[1:]:
                _add(c, p)
            open_clusters.append(c)
        work = _cluster_dated(replay, window, open_clusters)
    work.extend(_cluster_undated(undated))
    return _finish(key, work)


def cluster_mentions(rows: Sequence[Sequence[Any]], settings: DedupSettings | None = None) -> list[Cluster]:
    """Cluster mention rows into events from scratch, key by key.

    Each row is a sequence starting with the first eleven :data:`ROW_FIELDS` values (later items are ignored).
    Rows may hold several keys in any order; the result depends only on the set of rows.
    """
    settings = settings or DedupSettings()
    groups: dict[str, list[Sequence[Any]]] = defaultdict(list)
    for r in rows:
        groups[r[1] or ""].append(r)
    out: list[Cluster] = []
    for key in sorted(groups):
        group = groups[key]
        if len(group) == 1:  # the common case: one mention founds its own event
            mid = group[0][0]
            out.append(Cluster(event_id=event_id_of(key, mid), key=key, founder=mid, members=[mid],
                               representative=mid))
        else:
            out.extend(recluster_key(key, group, None, settings))
    return out
