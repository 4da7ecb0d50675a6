"""The server's state: one coder and one event store, shared by every request.

The server process is the store's only writer (DuckDB allows one per file), so all ingestion goes through
``POST /v1/code``. Coding runs on one dedicated thread, first come first served (spaCy pipelines are not meant
to be run from several threads at once, and the machine's cores are better spent on one document at a time);
waiting requests hold no worker thread, so reads are answered meanwhile. Calls into the store are serialised
by a lock, which also guards the ad-hoc aggregate SQL run on the store's connection.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from ..model import Document
from ._settings import ApiSettings

__all__ = ["Service", "document_id"]

T = TypeVar("T")


class Service:
    """Lazily opens the coder and the store; both are then kept for the life of the server."""

    def __init__(self, settings: ApiSettings, coder: Any = None, store: Any = None) -> None:
        self.settings = settings
        self._coder = coder
        self._store = store
        self._owns_store = store is None
        self._coder_lock = threading.Lock()
        self._coding = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eventcoder-coder")
        self._store_lock = threading.RLock()

    # -- coder --------------------------------------------------------------------------------------------------

    @property
    def coder(self) -> Any:
        if self._coder is None:
            with self._coder_lock:
                if self._coder is None:
                    from ..pipeline import Coder

                    self._coder = Coder()
        return self._coder

    @property
    def coder_loaded(self) -> bool:
        return self._coder is not None

    def code(self, document: Document, store: bool = False) -> tuple[list[dict[str, Any]], bool]:
        """Code one document; with ``store`` also write it to the store. Returns (event records, stored)."""
        coder = self.coder
        _, events = next(iter(coder.code_documents([document])))
        written = False
        if store:
            with self.locked_store() as s:
                written = bool(s.write(document, events, coder.version))
        return [e.to_dict() for e in events], written

    async def code_queued(self, document: Document, store: bool = False) -> tuple[list[dict[str, Any]], bool]:
        """:meth:`code` on the coding thread, after the documents queued before it."""
        return await asyncio.wrap_future(self._coding.submit(self.code, document, store))

    # -- store --------------------------------------------------------------------------------------------------

    def open_store(self) -> Any:
        """Open the store now (``serve`` does this before listening, so a locked file fails at start)."""
        with self._store_lock:
            if self._store is None:
                from ..store import open_store

                self._store = open_store(self.settings.db_path)
            return self._store

    @contextmanager
    def locked_store(self) -> Iterator[Any]:
        """The store, held by this thread for the duration of the block."""
        with self._store_lock:
            yield self.open_store()

    def read(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn(store)`` under the store lock."""
        with self.locked_store() as s:
            return fn(s)

    def sql(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn(connection)`` on the store's DuckDB connection under the store lock."""
        with self.locked_store() as s:
            con = getattr(s, "con", None)
            if con is None:
                raise RuntimeError(f"{type(s).__name__} has no SQL connection; the aggregate endpoints need DuckDB")
            return fn(con)

    def close(self) -> None:
        self._coding.shutdown(wait=True, cancel_futures=True)
        with self._store_lock:
            if self._store is not None and self._owns_store:
                self._store.close()
                self._store = None


def document_id(text: str, given: str | None) -> str:
    """The id a coded text is stored under: the caller's, else ``api-`` and the start of its SHA-256."""
    if given:
        return given
    return "api-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
