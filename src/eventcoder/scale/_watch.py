"""Live news: poll RSS/Atom feeds and article pages, code what is new into the store (``eventcoder watch``).

Each pass fetches every source that is due. A feed's entries point to articles; any other page is itself an
article. New articles (by URL, then by the hash of their extracted text) are extracted with trafilatura, coded
and written to the store, and remembered in a small SQLite state file beside the database so that restarts
neither fetch nor store them again. A failing source or article is logged on one line and retried after an
exponentially growing delay; it never stops the other sources.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import logging
import sqlite3
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from .. import __version__
from ..errors import EventcoderError, InputError
from ..model import Document

__all__ = [
    "FeedEntry",
    "FetchError",
    "Fetched",
    "WatchState",
    "WatchSummary",
    "Watcher",
    "fetch_url",
    "parse_feed",
    "state_path_for",
]

log = logging.getLogger("eventcoder.watch")

USER_AGENT = f"eventcoder/{__version__} (news event coder; polite polling)"
MAX_BYTES = 10_000_000
BACKOFF_BASE = 60.0  # seconds before the first retry of a failed source or article; doubles each time
BACKOFF_MAX = 6 * 3600.0
MAX_ARTICLE_FAILURES = 6  # an article that failed this often is given up (a source never is)


class FetchError(Exception):
    """A URL that could not be fetched (network error, timeout, HTTP error status, too large)."""


@dataclass(slots=True)
class Fetched:
    url: str  # after redirects
    status: int
    body: bytes
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None


Fetcher = Callable[[str, dict[str, str], float], Fetched]


def fetch_url(url: str, headers: dict[str, str], timeout: float) -> Fetched:
    """GET ``url`` with urllib; a 304 comes back as status 304, other failures raise :class:`FetchError`."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 (http/https checked by caller)
            body = resp.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise FetchError(f"response larger than {MAX_BYTES // 1_000_000} MB")
            return Fetched(url=resp.geturl(), status=resp.status, body=body,
                           content_type=resp.headers.get("Content-Type", ""),
                           etag=resp.headers.get("ETag"), last_modified=resp.headers.get("Last-Modified"))
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(url=url, status=304, body=b"")
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"cannot connect ({exc.reason})") from None
    except (TimeoutError, OSError) as exc:
        raise FetchError(f"{exc.__class__.__name__}: {exc}") from None


# --------------------------------------------------------------------------------------------- feeds


@dataclass(slots=True)
class FeedEntry:
    url: str
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(element: ET.Element, *names: str) -> str | None:
    for child in element:
        if _local(child.tag) in names and child.text and child.text.strip():
            return child.text.strip()
    return None


def _feed_date(value: str | None) -> str | None:
    if not value:
        return None
    try:  # RSS: RFC 822 dates
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:  # Atom and Dublin Core: ISO 8601
        return _dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def feed_root(body: bytes, content_type: str = "") -> ET.Element | None:
    """The root element if ``body`` is an RSS or Atom feed; None for any other page.

    Raises ``ValueError`` for a body that claims to be a feed (by content type or root tag) but does not parse.
    """
    head = body.lstrip()[:512].lower()
    ctype = content_type.lower()
    feedish = any(t in ctype for t in ("rss", "atom", "/xml", "+xml")) or head.startswith((b"<?xml", b"<rss",
                                                                                         b"<feed", b"<rdf"))
    if not feedish or b"<html" in head:
        return None
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise ValueError(f"malformed feed XML ({exc})") from None
    if _local(root.tag) in ("rss", "feed", "rdf"):
        return root
    if _local(root.tag) == "html":
        return None
    raise ValueError(f"not an RSS or Atom feed (root element <{_local(root.tag)}>)")


def parse_feed(root: ET.Element, base_url: str) -> list[FeedEntry]:
    """The entries of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, with absolute article URLs."""
    entries: list[FeedEntry] = []
    kind = _local(root.tag)
    if kind == "feed":  # Atom
        for entry in (e for e in root if _local(e.tag) == "entry"):
            href = None
            for link in (e for e in entry if _local(e.tag) == "link"):
                if link.get("rel", "alternate") == "alternate" and link.get("href"):
                    href = link.get("href")
                    break
            if href:
                entries.append(FeedEntry(urljoin(base_url, href.strip()), _child_text(entry, "title"),
                                         _feed_date(_child_text(entry, "published", "updated"))))
        return entries
    items = [e for e in root.iter() if _local(e.tag) == "item"]  # RSS 2.0 channel/item, RSS 1.0 item
    for item in items:
        link = _child_text(item, "link")
        if not link:
            guid = next((c for c in item if _local(c.tag) == "guid"), None)
            if guid is not None and guid.text and guid.get("isPermaLink", "true") != "false":
                link = guid.text.strip()
        if not link:
            link = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
        if link:
            entries.append(FeedEntry(urljoin(base_url, link), _child_text(item, "title"),
                                     _feed_date(_child_text(item, "pubdate", "date"))))
    return entries


# --------------------------------------------------------------------------------------------- state


def state_path_for(db: str | Path | None) -> str:
    """Where the watch state of the store at ``db`` lives: ``<db>.watch.sqlite`` (in memory for ``:memory:``)."""
    if db is None:
        from .._config import default_db_path

        db = default_db_path()
    if str(db) == ":memory:":
        return ":memory:"
    return f"{db}.watch.sqlite"


class WatchState:
    """What ``watch`` has seen and what is failing, in SQLite (safe to kill at any point)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.con = sqlite3.connect(self.path)
        with self.con:
            self.con.executescript(
                """
                CREATE TABLE IF NOT EXISTS seen (
                    url TEXT PRIMARY KEY, content_hash TEXT, doc_id TEXT, status TEXT, seen_at TEXT);
                CREATE INDEX IF NOT EXISTS seen_hash ON seen (content_hash);
                CREATE TABLE IF NOT EXISTS failures (
                    key TEXT PRIMARY KEY, count INTEGER, next_try REAL, error TEXT);
                CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT);
                """
            )

    def close(self) -> None:
        self.con.close()

    def seen_url(self, url: str) -> bool:
        return self.con.execute("SELECT 1 FROM seen WHERE url = ?", (url,)).fetchone() is not None

    def seen_hash(self, content_hash: str) -> str | None:
        row = self.con.execute("SELECT url FROM seen WHERE content_hash = ? LIMIT 1", (content_hash,)).fetchone()
        return row[0] if row else None

    def mark_seen(self, url: str, content_hash: str | None, doc_id: str | None, status: str) -> None:
        now = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        with self.con:
            self.con.execute("INSERT OR REPLACE INTO seen VALUES (?, ?, ?, ?, ?)",
                             (url, content_hash, doc_id, status, now))
            self.con.execute("DELETE FROM failures WHERE key = ?", (url,))

    def due(self, key: str, now: float | None = None) -> bool:
        row = self.con.execute("SELECT next_try FROM failures WHERE key = ?", (key,)).fetchone()
        return row is None or row[0] <= (time.time() if now is None else now)

    def failed(self, key: str, error: str) -> tuple[int, float]:
        """Record a failure of ``key``; returns the failure count and the delay before the next try."""
        row = self.con.execute("SELECT count FROM failures WHERE key = ?", (key,)).fetchone()
        count = (row[0] if row else 0) + 1
        delay = min(BACKOFF_MAX, BACKOFF_BASE * 2 ** (count - 1))
        with self.con:
            self.con.execute("INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?)",
                             (key, count, time.time() + delay, error))
        return count, delay

    def succeeded(self, key: str) -> None:
        with self.con:
            self.con.execute("DELETE FROM failures WHERE key = ?", (key,))

    def validators(self, url: str) -> dict[str, str]:
        row = self.con.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)).fetchone()
        headers: dict[str, str] = {}
        if row and row[0]:
            headers["If-None-Match"] = row[0]
        if row and row[1]:
            headers["If-Modified-Since"] = row[1]
        return headers

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        with self.con:
            self.con.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?)", (url, etag, last_modified))


# --------------------------------------------------------------------------------------------- watcher


@dataclass
class WatchSummary:
    """Counts of one pass (or, summed, of several)."""

    sources: int = 0
    sources_failed: int = 0
    sources_skipped: int = 0  # waiting for their retry time
    articles: int = 0  # new article URLs looked at
    stored: int = 0
    duplicates: int = 0  # same text as an article seen before
    no_text: int = 0
    failed: int = 0  # article fetches that failed (retried later)
    events: int = 0
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _fmt_delay(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min" if seconds >= 60 else \
        f"{seconds:.0f} s"


def check_sources(sources: Sequence[str]) -> list[str]:
    """The sources as given, or an error naming the first that is not an http(s) URL."""
    if not sources:
        raise EventcoderError("give at least one feed or article URL")
    for source in sources:
        parts = urlsplit(source)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise EventcoderError(f"{source}: not an http:// or https:// URL")
    return list(dict.fromkeys(sources))


class Watcher:
    """Polls ``sources`` and codes new articles into the store at ``db``.

    ``coder`` may be given (tests, long-lived services); otherwise one is built on the first new article.
    """

    def __init__(self, sources: Sequence[str], db: str | Path | None = None, *, state: str | Path | None = None,
                 model: str | None = None, coder: Any = None, timeout: float = 20.0,
                 fetcher: Fetcher | None = None) -> None:
        self.sources = check_sources(sources)
        self.db = db
        self.state = WatchState(state or state_path_for(db))
        self.model = model
        self._coder = coder
        self.timeout = timeout
        self.fetch = fetcher or fetch_url

    def close(self) -> None:
        self.state.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def coder(self) -> Any:
        if self._coder is None:
            from ..pipeline import Coder

            self._coder = Coder(model=self.model)
        return self._coder

    def _error(self, summary: WatchSummary, key: str, reason: str, give_up_after: int | None = None) -> None:
        count, delay = self.state.failed(key, reason)
        if give_up_after is not None and count >= give_up_after:
            self.state.mark_seen(key, None, None, "failed")
            line = f"{key}: {reason} (failed {count} times, given up)"
        else:
            line = f"{key}: {reason} (retry in {_fmt_delay(delay)})"
        log.warning("%s", line)
        summary.errors.append(line)

    def run_once(self) -> WatchSummary:
        """One pass over every due source; returns what it did."""
        summary = WatchSummary(sources=len(self.sources))
        new: list[Document] = []
        hashes: dict[str, str] = {}  # text hash -> URL, for articles of this pass
        for source in self.sources:
            try:
                self._poll_source(source, summary, new, hashes)
            except Exception as exc:  # a bug or odd input in one source never stops the others
                summary.sources_failed += 1
                self._error(summary, source, f"unexpected {exc.__class__.__name__}: {exc}")
        if new:
            self._store(new, summary)
        return summary

    def _poll_source(self, source: str, summary: WatchSummary, new: list[Document], hashes: dict[str, str]) -> None:
        if self.state.seen_url(source):  # an article page given as a source, already handled
            return
        if not self.state.due(source):
            summary.sources_skipped += 1
            return
        try:
            page = self.fetch(source, self.state.validators(source), self.timeout)
        except FetchError as exc:
            summary.sources_failed += 1
            self._error(summary, source, str(exc))
            return
        if page.status == 304:
            self.state.succeeded(source)
            return
        try:
            root = feed_root(page.body, page.content_type)
        except ValueError as exc:
            summary.sources_failed += 1
            self._error(summary, source, str(exc))
            return
        if root is None:  # the source is an article page itself
            self.state.succeeded(source)
            if not self.state.seen_url(source):
                self._article(source, FeedEntry(source), summary, new, hashes, page=page)
            return
        entries = parse_feed(root, page.url)
        self.state.succeeded(source)
        self.state.save_validators(source, page.etag, page.last_modified)
        for entry in entries:
            if not self.state.seen_url(entry.url) and entry.url not in {d.url for d in new}:
                self._article(entry.url, entry, summary, new, hashes)

    def _article(self, url: str, entry: FeedEntry, summary: WatchSummary, new: list[Document],
                 hashes: dict[str, str], page: Fetched | None = None) -> None:
        if not self.state.due(url):
            return
        summary.articles += 1
        if page is None:
            try:
                page = self.fetch(url, {}, self.timeout)
            except FetchError as exc:
                summary.failed += 1
                self._error(summary, url, str(exc), give_up_after=MAX_ARTICLE_FAILURES)
                return
        from ..ingest import read_html

        doc = read_html(url, page.body, doc_id=url)
        if isinstance(doc, InputError):
            summary.no_text += 1
            log.warning("%s: %s (skipped)", url, doc.reason)
            self.state.mark_seen(url, None, None, "no-text")
            return
        doc.url = url
        doc.title = doc.title or entry.title
        doc.date = doc.date or entry.date or _dt.datetime.now(_dt.timezone.utc).date().isoformat()
        doc.source = doc.source or urlsplit(url).hostname
        content_hash = doc.content_hash
        earlier = hashes.get(content_hash) or self.state.seen_hash(content_hash)
        if earlier:
            summary.duplicates += 1
            log.info("%s: same text as %s (not stored again)", url, earlier)
            self.state.mark_seen(url, content_hash, None, "duplicate")
            return
        hashes[content_hash] = url
        new.append(doc)

    def _store(self, documents: list[Document], summary: WatchSummary) -> None:
        from ..store import open_store

        coder = self.coder
        try:
            store = open_store(self.db)
        except Exception as exc:  # e.g. another process holds the DuckDB file: try again next pass
            line = f"cannot open the store {self.db or '(default)'}: {exc.__class__.__name__}: {exc}".splitlines()[0]
            log.warning("%s; %d new articles wait for the next pass", line, len(documents))
            summary.errors.append(line)
            return
        with store:
            for document, events in self._code(coder, documents, summary):
                store.write(document, events, coder.version)
                # remembered only once stored: a crash before this point fetches the article again next time
                self.state.mark_seen(document.url or document.id, document.content_hash, document.id, "stored")
                summary.stored += 1
                summary.events += len(events)
                log.info("%s: %d events", document.url, len(events))

    def _code(self, coder: Any, documents: list[Document],
              summary: WatchSummary) -> Iterable[tuple[Document, list[Any]]]:
        """The coded documents; should the coder fail on the batch, one at a time, skipping those it fails on."""
        try:
            return list(coder.code_documents(documents))
        except Exception as exc:
            log.warning("coding %d articles failed (%s); coding them one by one", len(documents),
                        exc.__class__.__name__)
        coded = []
        for document in documents:
            try:
                coded.extend(coder.code_documents([document]))
            except Exception as exc:
                summary.failed += 1
                self._error(summary, document.url or document.id, f"the coder failed ({exc.__class__.__name__}: "
                            f"{exc})".splitlines()[0], give_up_after=MAX_ARTICLE_FAILURES)
        return coded

    def run(self, interval: float, passes: int | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        """Poll every ``interval`` seconds (forever, or ``passes`` times)."""
        n = 0
        while passes is None or n < passes:
            started = time.monotonic()
            summary = self.run_once()
            n += 1
            log.info("pass %d: %d new articles stored (%d events), %d duplicates, %d errors", n, summary.stored,
                     summary.events, summary.duplicates, len(summary.errors))
            if passes is not None and n >= passes:
                break
            sleep(max(0.0, interval - (time.monotonic() - started)))


def watch(sources: Iterable[str], db: str | Path | None = None, *, interval: float = 300.0, once: bool = False,
          state: str | Path | None = None, model: str | None = None, timeout: float = 20.0) -> WatchSummary | None:
    """Poll ``sources`` into the store at ``db``: one pass if ``once`` (returns its summary), else forever."""
    with Watcher(list(sources), db, state=state, model=model, timeout=timeout) as watcher:
        if once:
            return watcher.run_once()
        watcher.run(interval)
    return None
