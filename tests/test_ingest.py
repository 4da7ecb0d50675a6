"""Reading inputs: every format, and a one-line error for every kind of bad input."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from eventcoder.errors import InputError
from eventcoder.ingest import MAX_CHARS, iter_documents
from eventcoder.model import Document


def _items(*inputs: str, date: str | None = None) -> list[Document | InputError]:
    return list(iter_documents(list(inputs), default_date=date))


def test_text_file_with_front_matter(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("Title: Hello\nDate: 2023-06-07\nURL: http://x.test/a\n\nFrance criticised NATO.\n", encoding="utf-8")
    [doc] = _items(str(p))
    assert isinstance(doc, Document)
    assert doc.id == "a.txt" and doc.title == "Hello" and doc.date == "2023-06-07" and doc.url == "http://x.test/a"
    assert doc.text.startswith("France criticised NATO.")


def test_plain_text_keeps_a_colon_first_line(tmp_path: Path) -> None:
    p = tmp_path / "b.txt"
    p.write_text("Note: this is the body, not metadata.\nSecond line.\n", encoding="utf-8")
    [doc] = _items(str(p), date="2020-01-02")
    assert isinstance(doc, Document)
    assert doc.text.startswith("Note: this is the body") and doc.date == "2020-01-02"


def test_jsonl_gz_and_directory(tmp_path: Path) -> None:
    rows = [{"id": "x1", "text": "Russia attacked Ukraine.", "date": "2022-02-24"}, {"id": "x2", "text": "Iran met Iraq."}]
    (tmp_path / "sub").mkdir()
    with gzip.open(tmp_path / "sub" / "docs.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(json.dumps(r) for r in rows))
    (tmp_path / "c.txt").write_text("China protested.", encoding="utf-8")
    (tmp_path / "ignored.bin").write_bytes(b"\x00\x01")
    items = _items(str(tmp_path), date="2021-05-05")
    ids = sorted(d.id for d in items if isinstance(d, Document))
    assert ids == ["c.txt", "x1", "x2"]
    by_id = {d.id: d for d in items if isinstance(d, Document)}
    assert by_id["x1"].date == "2022-02-24" and by_id["x2"].date == "2021-05-05"


def test_html_extraction_with_metadata(tmp_path: Path) -> None:
    body = " ".join(["The foreign ministers of France and Germany met in Paris on Monday to discuss sanctions."] * 5)
    html = f"""<html><head><title>Ministers meet</title>
    <meta property="og:url" content="https://news.test/ministers"/>
    <meta name="date" content="2023-03-01"/></head>
    <body><nav>Home | World</nav><article><h1>Ministers meet</h1><p>{body}</p><p>{body}</p></article></body></html>"""
    p = tmp_path / "page.html"
    p.write_text(html, encoding="utf-8")
    [doc] = _items(str(p))
    assert isinstance(doc, Document), doc
    assert "foreign ministers of France" in doc.text
    assert doc.title == "Ministers meet"
    assert doc.date == "2023-03-01"
    assert doc.url == "https://news.test/ministers"


def test_bad_inputs_each_give_one_error_and_the_rest_goes_on(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 in Paris".encode("latin-1"))
    (tmp_path / "bad.jsonl").write_text('{"id": "ok", "text": "Russia attacked Ukraine."}\n{"id": broken\n', "utf-8")
    (tmp_path / "good.txt").write_text("France criticised NATO.", encoding="utf-8")
    (tmp_path / "huge.txt").write_text("a " * (MAX_CHARS // 2 + 10), encoding="utf-8")
    names = ["empty.txt", "binary.txt", "latin1.txt", "bad.jsonl", "missing.txt", "good.txt", "huge.txt"]
    items = _items(*(str(tmp_path / n) for n in names))
    errors = [i for i in items if isinstance(i, InputError)]
    docs = [i for i in items if isinstance(i, Document)]
    assert sorted(d.id for d in docs) == ["good.txt", "ok"]
    messages = [str(e) for e in errors]
    assert len(messages) == 6
    for fragment in ("empty.txt: empty input", "binary.txt: binary data", "latin1.txt: not valid UTF-8",
                     "bad.jsonl:2: malformed JSON", "missing.txt: no such file", "huge.txt: document too long"):
        assert any(fragment in m for m in messages), (fragment, messages)
    assert all("\n" not in m for m in messages)
