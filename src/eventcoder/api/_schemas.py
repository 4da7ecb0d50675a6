"""Request and response bodies (they also make the OpenAPI schema at /openapi.json)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "ActorsResponse",
    "CodeRequest",
    "CodeResponse",
    "EventList",
    "InfoResponse",
    "NetworkResponse",
    "PlacesResponse",
    "TimelineResponse",
]


class CodeRequest(BaseModel):
    """An article to code."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    text: str = Field(min_length=1, description="the article text (plain text)")
    date: str | None = Field(None, description="publication date, YYYY-MM-DD; relative dates are resolved from it",
                             examples=["2023-06-07"])
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000, description="where the article was published")
    id: str | None = Field(None, max_length=500,
                           description="document id; defaults to 'api-' and a hash of the text")
    store: bool = Field(False, description="also write the document and its events to the server's store")

    @field_validator("text")
    @classmethod
    def _has_words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty")
        return value

    @field_validator("date")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


class CodeResponse(BaseModel):
    events: list[dict[str, Any]] = Field(
        description="one record per event mention, as Event.to_dict(), plus 'highlights' in the evidence text")
    doc_id: str
    stored: bool = Field(description="true when the document was written to the store now")


class EventList(BaseModel):
    events: list[dict[str, Any]]
    total: int = Field(description="rows matching the filters, before limit and offset")
    limit: int
    offset: int
    level: str


class Series(BaseModel):
    key: str
    label: str
    counts: list[int]


class TimelineResponse(BaseModel):
    interval: str
    by: str
    level: str
    periods: list[str] = Field(description="first day of each period (ISO dates), zero-filled")
    series: list[Series]
    total: int
    undated: int = Field(description="matching rows without a date (left out of the counts)")


class Node(BaseModel):
    id: str
    name: str | None
    country: str | None
    count: int


class Edge(BaseModel):
    source: str
    target: str
    count: int
    goldstein: float | None = Field(description="mean Goldstein score of the edge's events")


class NetworkResponse(BaseModel):
    nodes: list[Node]
    edges: list[Edge]
    level: str


class ActorsResponse(BaseModel):
    actors: list[dict[str, Any]]


class PlacesResponse(BaseModel):
    places: list[dict[str, Any]]


class InfoResponse(BaseModel):
    version: str
    write_access: str = Field(description="open, token (send Authorization: Bearer) or closed")
    max_body_bytes: int
    coder_loaded: bool
