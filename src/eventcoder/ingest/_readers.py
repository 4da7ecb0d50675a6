"""Readers that turn files, directories, gzip files and stdin into :class:`Document` objects.

Every reader yields either a ``Document`` or an ``InputError`` naming the input, so one bad file or line
never stops the rest of a batch.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from ..model import Document

__all__ = ["MAX_BYTES", "MAX_CHARS", "SUPPORTED_SUFFIXES", "iter_documents", "read_html", "decode_text"]

#: Largest file read as a whole (bytes) and largest document coded (characters).
MAX_BYTES = 50_000_000
MAX_CHARS = 1_000_000
SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".jsonl", ".ndjson")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FRONT_MATTER_KEYS = {"title", "date", "url", "source", "id"}
_FRONT_LINE = re.compile(r"^([A-Za-z]+):\s*(.*)$")

Item = Document | InputError


def iter_documents(inputs: Iterable[str], default_date: str | None = None) -> Iterator[Item]:
    """Yield a document (or an error) for every readable unit in ``inputs``.

    ``inputs`` are paths to files or directories, or ``-`` for standard input. ``default_date`` is the
    publication date given to documents that carry none.
    """
    for raw in inputs:
        for item in _iter_input(raw):
            if isinstance(item, Document) and not item.date:
                item.date = default_date
            yield item


def _iter_input(raw: str) -> Iterator[Item]:
    if raw == "-":
        yield from _read_stream("<stdin>", sys.stdin.buffer, suffix=None)
        return
    path = Path(raw)
    if not path.exists():
        yield InputError(raw, "no such file or directory")
        return
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and _supported(p))
        if not files:
            yield InputError(raw, "directory holds no .txt, .html, .jsonl or .gz files")
        for file in files:
            yield from _read_file(file, doc_id=str(file.relative_to(path)))
        return
    yield from _read_file(path, doc_id=path.name)


def _supported(path: Path) -> bool:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return name.endswith(SUPPORTED_SUFFIXES)


def _read_file(path: Path, doc_id: str) -> Iterator[Item]:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            yield InputError(name, f"file too large ({size / 1e6:.0f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB)")
            return
        with path.open("rb") as fh:
            suffix = path.suffix.lower()
            if suffix == ".gz":
                inner = Path(path.stem).suffix.lower()
                with gzip.open(fh) as gz:
                    yield from _read_stream(name, gz, suffix=inner, doc_id=doc_id.removesuffix(".gz"))
            else:
                yield from _read_stream(name, fh, suffix=suffix, doc_id=doc_id)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield InputError(name, f"cannot read ({exc.__class__.__name__}: {exc})")


def _read_stream(name: str, stream: BinaryIO, suffix: str | None, doc_id: str | None = None) -> Iterator[Item]:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        yield InputError(name, f"input too large (over {MAX_BYTES / 1e6:.0f} MB)")
        return
    doc_id = doc_id or "stdin"
    if suffix in (".jsonl", ".ndjson") or (suffix is None and data.lstrip()[:1] == b"{"):
        yield from _read_jsonl(name, data)
    elif suffix in (".html", ".htm") or (suffix is None and data.lstrip()[:1] == b"<"):
        yield _checked(name, read_html(name, data, doc_id))
    else:
        text = decode_text(name, data)
        if isinstance(text, InputError):
            yield text
        else:
            yield _checked(name, _text_document(doc_id, text))


def decode_text(name: str, data: bytes) -> str | InputError:
    """Decode ``data`` as UTF-8 text, or say why it is not text."""
    if not data.strip():
        return InputError(name, "empty input")
    if b"\x00" in data[:8192]:
        return InputError(name, "binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputError(name, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})")


def _checked(name: str, item: Item) -> Item:
    if isinstance(item, InputError):
        return item
    if not item.text.strip():
        return InputError(name, "no text to code")
    if len(item.text) > MAX_CHARS:
        return InputError(name, f"document too long ({len(item.text):,} characters; the limit is {MAX_CHARS:,})")
    if item.date and not _DATE.match(item.date):
        return InputError(name, f"date {item.date!r} is not YYYY-MM-DD")
    return item


def _text_document(doc_id: str, text: str) -> Document:
    """A plain-text document, with optional ``Key: value`` front matter (title, date, url, source, id)."""
    meta: dict[str, str] = {}
    lines = text.split("\n")
    consumed = 0
    for i, line in enumerate(lines):
        if not line.strip():
            consumed = i + 1 if meta else 0
            break
        m = _FRONT_LINE.match(line.strip())
        if not m or m.group(1).lower() not in _FRONT_MATTER_KEYS:
            meta = {}
            break
        meta[m.group(1).lower()] = m.group(2).strip()
    if meta and consumed:
        text = "\n".join(lines[consumed:])
    else:
        meta = {}
    return Document(
        id=meta.get("id") or doc_id,
        text=text,
        date=meta.get("date") or None,
        title=meta.get("title"),
        url=meta.get("url"),
        source=meta.get("source"),
    )


def read_html(name: str, data: bytes | str, doc_id: str) -> Item:
    """Extract the main text and metadata of an HTML page with trafilatura."""
    import trafilatura

    html = data if isinstance(data, str) else decode_text(name, data)
    if isinstance(html, InputError):
        return html
    try:
        result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        return InputError(name, f"cannot parse HTML ({exc.__class__.__name__})")
    if result is None or not getattr(result, "text", None):
        return InputError(name, "no article text found in the HTML")
    date = getattr(result, "date", None)
    return Document(
        id=doc_id,
        text=result.text,
        date=date[:10] if date else None,
        title=getattr(result, "title", None),
        url=getattr(result, "url", None),
        source=getattr(result, "sitename", None) or getattr(result, "hostname", None),
    )


def _read_jsonl(name: str, data: bytes) -> Iterator[Item]:
    text = decode_text(name, data)
    if isinstance(text, InputError):
        yield text
        return
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield InputError(where, "expected a JSON object")
            continue
        body = obj.get("text")
        if not isinstance(body, str):
            yield InputError(where, "missing string field 'text'")
            continue
        date = obj.get("date")
        yield _checked(
            where,
            Document(
                id=str(obj.get("id", f"{Path(name).name}:{lineno}")),
                text=body,
                date=str(date)[:10] if date else None,
                title=obj.get("title"),
                url=obj.get("url"),
                source=obj.get("source"),
            ),
        )
