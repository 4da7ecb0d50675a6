"""The JSON endpoints under /v1: code, events, timeline, network, actors, places, stats, info."""

from __future__ import annotations

import io
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from .. import __version__
from ..model import Document
from . import _aggregate as agg
from ._filters import Filters, Level, filters_from_query
from ._guard import require_write_access
from ._highlight import highlights
from ._schemas import (
    ActorsResponse,
    CodeRequest,
    CodeResponse,
    EventList,
    InfoResponse,
    NetworkResponse,
    PlacesResponse,
    TimelineResponse,
)
from ._service import Service, document_id

__all__ = ["router"]

router = APIRouter(prefix="/v1")

FiltersDep = Annotated[Filters, Depends(filters_from_query)]
LevelQuery = Annotated[Level, Query(description="deduplicated events, or every event mention")]
DEFAULT_PAGE = 100


def _service(request: Request) -> Service:
    return request.app.state.service


ServiceDep = Annotated[Service, Depends(_service)]


def _with_highlights(record: dict[str, Any]) -> dict[str, Any]:
    record["highlights"] = highlights(record)
    return record


@router.post("/code", response_model=CodeResponse, tags=["code"], dependencies=[Depends(require_write_access)],
             summary="Code an article into events (and store it)")
async def code(body: CodeRequest, service: ServiceDep) -> dict[str, Any]:
    """Codes the text and returns its events. With ``store: true`` the document and its events are also written
    to the server's store (the server is the store's only writer). Documents are coded one at a time, in the
    order they arrive. Needs the token when the server has one."""
    doc = Document(id=document_id(body.text, body.id), text=body.text, date=body.date, title=body.title,
                   url=body.url)
    records, stored = await service.code_queued(doc, store=body.store)
    return {"events": [_with_highlights(r) for r in records], "doc_id": doc.id, "stored": stored}


def _page(service: Service, filters: Filters, level: Level, limit: int, offset: int) -> dict[str, Any]:
    def run(store: Any) -> dict[str, Any]:
        total = agg.count_rows(store.con, filters, level)
        rows = store.query(**filters.store_kwargs(), level=level, limit=limit, offset=offset)
        if level == "event":
            records = agg.representative_records(store.con, [r["mention_id"] for r in rows if r.get("mention_id")])
            for row in rows:
                record = records.get(row.get("mention_id"))
                if isinstance(record, str):
                    record = json.loads(record)
                row["trigger"] = record.get("trigger") if record else None
                row["highlights"] = highlights(record) if record else []
        else:
            for row in rows:
                row["highlights"] = highlights(row.get("record") or {})
        return {"events": rows, "total": total, "limit": limit, "offset": offset, "level": level}

    return service.read(run)


def _export(service: Service, filters: Filters, level: Level, fmt: str, limit: int | None,
            offset: int) -> Response:
    table = service.sql(lambda con: agg.export_table(con, filters, level, limit, offset))
    buf = io.BytesIO()
    if fmt == "csv":
        import pyarrow.csv as pacsv

        pacsv.write_csv(table, buf)
        media = "text/csv; charset=utf-8"
    else:
        import pyarrow.parquet as pq

        pq.write_table(table, buf)
        media = "application/vnd.apache.parquet"
    name = f"eventcoder-{level}s.{fmt}"
    return Response(buf.getvalue(), media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/events", response_model=EventList, tags=["events"], summary="Events matching the filters",
            responses={200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}}}})
def list_events(
    request: Request,
    service: ServiceDep,
    filters: FiltersDep,
    level: LevelQuery = "event",
    limit: Annotated[int | None, Query(ge=1, description="rows per page (JSON: default 100, at most 1000; "
                                                         "csv/parquet: every matching row unless given)")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    format: Annotated[Literal["json", "csv", "parquet"], Query(description="json, or a csv/parquet download")] = "json",
    download: Annotated[bool, Query(description="send JSON as a file download")] = False,
) -> Any:
    """A page of events (or mentions) as JSON with the total count, or every matching row as CSV or Parquet.
    Event rows carry the representative mention's ``trigger`` and ``highlights`` (offsets of the trigger and
    actors in ``evidence_text``); mention rows carry their full ``record`` and its ``highlights``."""
    if format != "json":
        return _export(service, filters, level, format, limit, offset)
    page = min(limit or DEFAULT_PAGE, request.app.state.settings.max_page)
    result = _page(service, filters, level, page, offset)
    if download:
        return JSONResponse(result, headers={"Content-Disposition": f'attachment; filename="eventcoder-{level}s.json"'})
    return result


@router.get("/events/{event_id}", tags=["events"], summary="One event with every mention's evidence")
def get_event(event_id: Annotated[str, Path(max_length=200)], service: ServiceDep) -> dict[str, Any]:
    """The deduplicated event and its ``mentions``: each with its record, document (url, title, outlet) and
    ``highlights`` in the evidence sentence."""
    event = service.read(lambda s: s.get_event(event_id))
    if event is None:
        raise HTTPException(404, f"no event {event_id!r}")
    for mention in event.get("mentions") or []:
        mention["highlights"] = highlights(mention.get("record") or {})
    return event


@router.get("/timeline", response_model=TimelineResponse, tags=["aggregates"],
            summary="Counts per day or week by quad class or type")
def get_timeline(
    service: ServiceDep,
    filters: FiltersDep,
    level: LevelQuery = "event",
    interval: Annotated[Literal["day", "week", "auto"], Query(description="auto: days up to 180 days, else weeks")]
    = "auto",
    by: Annotated[Literal["quad", "type"], Query(description="quad class or PLOVER type")] = "quad",
) -> dict[str, Any]:
    return service.sql(lambda con: agg.timeline(con, filters, level, interval, by))


@router.get("/network", response_model=NetworkResponse, tags=["aggregates"],
            summary="Actor network: directed edges with count and mean Goldstein")
def get_network(
    service: ServiceDep,
    filters: FiltersDep,
    level: LevelQuery = "event",
    max_edges: Annotated[int, Query(ge=1, le=2000, description="keep the busiest edges")] = 150,
) -> dict[str, Any]:
    return service.sql(lambda con: agg.network(con, filters, level, max_edges))


@router.get("/actors", response_model=ActorsResponse, tags=["aggregates"], summary="Actors by number of events")
def get_actors(
    service: ServiceDep,
    filters: FiltersDep,
    level: LevelQuery = "event",
    prefix: Annotated[str | None, Query(max_length=64, description="only codes starting with this")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict[str, Any]:
    return {"actors": service.sql(lambda con: agg.top_actors(con, filters, level, limit, prefix))}


@router.get("/places", response_model=PlacesResponse, tags=["aggregates"],
            summary="Event locations for the map: one point per place")
def get_places(
    service: ServiceDep,
    filters: FiltersDep,
    level: LevelQuery = "event",
    limit: Annotated[int, Query(ge=1, le=10000)] = 2000,
) -> dict[str, Any]:
    return {"places": service.sql(lambda con: agg.places(con, filters, level, limit))}


@router.get("/stats", tags=["aggregates"], summary="Store totals: by type, quad class, month; top dyads")
def get_stats(service: ServiceDep) -> dict[str, Any]:
    return service.read(lambda s: s.stats())


@router.get("/info", response_model=InfoResponse, tags=["server"], summary="Server version and write access")
def get_info(request: Request, service: ServiceDep) -> dict[str, Any]:
    settings = request.app.state.settings
    return {"version": __version__, "write_access": settings.write_access, "max_body_bytes": settings.max_body_bytes,
            "coder_loaded": service.coder_loaded}
