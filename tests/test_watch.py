"""`eventcoder watch`: feed parsing, backoff state, and a full `--once` pass against a local HTTP server."""

from __future__ import annotations

import argparse
import http.server
import logging
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventcoder.scale._watch import WatchState, feed_root, parse_feed

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test wire</title>
<item><title>One</title><link>/news/1.html</link><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>
<item><title>Two</title><link>{base}/news/2.html</link><pubDate>Wed, 06 Mar 2024 08:30:00 +0100</pubDate></item>
<item><title>Three</title><guid>{base}/news/3.html</guid></item>
<item><title>Broken page</title><link>/news/500.html</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Test atom</title>
<entry><title>Four</title><link rel="alternate" href="/news/4.html"/><link rel="enclosure" href="/x.mp3"/>
<published>2024-03-07T09:00:00Z</published></entry>
<entry><title>One again</title><link href="/news/1.html"/><updated>2024-03-05</updated></entry>
</feed>"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://example.org/"><title>RDF</title></channel>
<item rdf:about="http://example.org/a"><title>A</title><link>http://example.org/a</link><dc:date>2024-01-02</dc:date></item>
</rdf:RDF>"""

# Short made-up news stories (one sentence or more with a clear event each).
STORIES = {
    "1": ("Germany and France sign energy pact",
          "Germany and France signed an agreement on energy cooperation in Berlin on Tuesday. The German chancellor "
          "met the French president for three hours at the chancellery. Officials from both governments said the "
          "deal covers joint purchases of gas and new power lines across the border. The two leaders praised the "
          "talks and promised to meet again in Paris next month to discuss defence spending."),
    "2": ("Police arrest protesters in Nairobi",
          "Kenyan police arrested dozens of protesters in Nairobi on Wednesday after a march against new taxes "
          "turned violent. Officers fired tear gas at crowds near parliament. The interior ministry said that "
          "forty people were detained and several officers were injured. Opposition leaders condemned the "
          "arrests and demanded the release of all detained demonstrators."),
    "4": ("Japan and Australia hold defence talks",
          "The Japanese defence minister met his Australian counterpart in Tokyo on Thursday to discuss joint "
          "military exercises in the Pacific. Both ministers said their countries would deepen security "
          "cooperation. Japan offered to share satellite data with Australia, and the two sides agreed to hold "
          "annual talks on maritime security from next year."),
    "5": ("Brazil expels diplomat",
          "Brazil expelled a Venezuelan diplomat on Friday, accusing him of interfering in its internal affairs. "
          "The Brazilian foreign ministry gave the diplomat three days to leave the country. Venezuela denounced "
          "the decision and threatened to respond in kind, while officials in Brasilia said relations between "
          "the two neighbours had reached their lowest point in years."),
}
STORIES["3"] = STORIES["1"]  # the same article published under a second URL


def _page(title: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in body.split(". ") if s.strip())
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><header><nav>Home | World</nav>"
            f"</header><article><h1>{title}</h1>{paragraphs}</article><footer>Test wire, all rights "
            f"reserved</footer></body></html>").encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    requests: Counter[str]

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.requests[self.path] += 1
        base = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
        ctype, status, body = "text/html; charset=utf-8", 200, b""
        if self.path == "/rss.xml":
            ctype, body = "application/rss+xml", RSS.format(base=base).encode()
        elif self.path == "/atom.xml":
            ctype, body = "application/atom+xml", ATOM.encode()
        elif self.path == "/broken.xml":
            ctype, body = "application/rss+xml", b"<?xml version='1.0'?><rss><channel><item><title>oops</channel>"
        elif self.path in ("/down.xml", "/news/500.html"):
            status, body = 500, b"internal error"
        elif self.path.startswith("/news/") and self.path[6:-5] in STORIES:
            body = _page(*STORIES[self.path[6:-5]])
        else:
            status, body = 404, b"not found"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[tuple[str, Counter[str]]]:
    handler = type("Handler", (_Handler,), {"requests": Counter()})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", handler.requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def run_cli(*argv: str) -> int:
    """Run the command line in this process (the main CLI once `watch` is wired into it)."""
    from eventcoder import cli

    for action in cli.build_parser()._actions:  # noqa: SLF001
        if isinstance(action, argparse._SubParsersAction) and "watch" in action.choices:  # noqa: SLF001
            return cli.main(list(argv))
    from eventcoder.scale import _main

    return _main(list(argv))


# --------------------------------------------------------------------------------------------- fast tests


def test_rss_atom_and_rdf_feeds_are_parsed() -> None:
    base = "http://news.example"
    rss = parse_feed(feed_root(RSS.format(base=base).encode(), "application/rss+xml"), base + "/rss.xml")
    assert [(e.url, e.title, e.date) for e in rss] == [
        (base + "/news/1.html", "One", "2024-03-05"),
        (base + "/news/2.html", "Two", "2024-03-06"),
        (base + "/news/3.html", "Three", None),
        (base + "/news/500.html", "Broken page", None),
    ]
    atom = parse_feed(feed_root(ATOM.encode()), base + "/feeds/atom.xml")
    assert [(e.url, e.date) for e in atom] == [(base + "/news/4.html", "2024-03-07"), (base + "/news/1.html",
                                                                                       "2024-03-05")]
    rdf = parse_feed(feed_root(RDF.encode(), "text/xml"), "http://example.org/rdf")
    assert [(e.url, e.title, e.date) for e in rdf] == [("http://example.org/a", "A", "2024-01-02")]


def test_html_pages_are_not_feeds_and_broken_feeds_say_why() -> None:
    assert feed_root(_page("t", "A story. Another line."), "text/html") is None
    assert feed_root(b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>') is None
    with pytest.raises(ValueError, match="malformed feed XML"):
        feed_root(b"<rss><channel><item></channel>", "application/rss+xml")
    with pytest.raises(ValueError, match="not an RSS or Atom feed"):
        feed_root(b"<?xml version='1.0'?><sitemap/>", "application/xml")


def test_state_backs_off_exponentially_and_remembers(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    state = WatchState(path)
    assert state.due("http://a")
    count, first = state.failed("http://a", "HTTP 500")
    count2, second = state.failed("http://a", "HTTP 500")
    assert (count, count2) == (1, 2) and second == 2 * first
    assert not state.due("http://a")
    assert state.due("http://a", now=10**12)
    state.mark_seen("http://b", "hash-b", "http://b", "stored")
    state.close()
    again = WatchState(path)  # across restarts
    assert again.seen_url("http://b") and again.seen_hash("hash-b") == "http://b"
    assert not again.seen_url("http://a")
    again.succeeded("http://a")
    assert again.due("http://a")
    again.close()


def test_sources_must_be_http_urls(tmp_path: Path) -> None:
    from eventcoder.errors import EventcoderError
    from eventcoder.scale import Watcher

    with pytest.raises(EventcoderError, match="not an http"):
        Watcher(["/etc/passwd"], ":memory:")


# --------------------------------------------------------------------------------------------- a real pass


@pytest.mark.slow
def test_watch_once_stores_each_new_article_once(server: tuple[str, Counter[str]], tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    from eventcoder.store import open_store

    base, requests = server
    db = tmp_path / "events.duckdb"
    sources = [f"{base}/rss.xml", f"{base}/broken.xml", f"{base}/down.xml", f"{base}/atom.xml",
               f"{base}/news/5.html"]
    caplog.set_level(logging.INFO, logger="eventcoder.watch")
    assert run_cli("watch", *sources, "--db", str(db), "--once") == 0

    with open_store(db) as store:
        ids = sorted(r[0] for r in store.con.execute("SELECT id FROM documents").fetchall())
        mentions = store.count("mentions")
    assert ids == sorted(f"{base}/news/{n}.html" for n in ("1", "2", "4", "5"))  # 3 repeats 1's text
    assert mentions > 0
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    for failing in ("/broken.xml", "/down.xml", "/news/500.html"):
        lines = [w for w in warnings if w.startswith(base + failing)]
        assert len(lines) == 1, (failing, warnings)
        assert "\n" not in lines[0] and "retry in" in lines[0]
    assert (tmp_path / "events.duckdb.watch.sqlite").exists()

    caplog.clear()
    assert run_cli("watch", *sources, "--db", str(db), "--once") == 0  # a restart: nothing new
    with open_store(db) as store:
        assert store.count("documents") == 4
        assert store.count("mentions") == mentions
    for n in ("1", "2", "3", "4", "5", "500"):
        assert requests[f"/news/{n}.html"] == 1, (n, requests)  # seen articles are not fetched again
    assert requests["/rss.xml"] == 2  # healthy feeds are polled on every pass
    assert requests["/broken.xml"] == 1  # a failing source waits for its backoff delay
