"""Ingesting from http(s) URLs, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from briefings.errors import IngestError
from briefings.ingest import read_inputs
from briefings.models import ArticleDraft

PARAGRAPH = "Senior diplomats from Japan and South Korea met in Seoul on Wednesday to prepare a leaders' summit."
SECOND = "The two sides agreed to restart a dialogue on export controls that had been frozen since 2019, officials said."

FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Seoul Desk</title><link>http://127.0.0.1/</link>
<item><title>Japan and South Korea prepare summit</title><link>http://news.test/seoul-summit</link>
<pubDate>Wed, 04 Feb 2026 10:00:00 +0900</pubDate><description>&lt;p&gt;{PARAGRAPH}&lt;/p&gt;&lt;p&gt;{SECOND}&lt;/p&gt;</description></item>
</channel></rss>""".encode()

PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Japan and South Korea prepare summit</title>
<meta property="og:site_name" content="Seoul Desk">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "datePublished": "2026-02-04T10:00:00+09:00"}}</script>
<link rel="canonical" href="https://news.test/2026/02/04/seoul-summit"></head>
<body><article><h1>Japan and South Korea prepare summit</h1><p>{PARAGRAPH}</p>
<h2>Export controls</h2><p>{SECOND}</p><p>{SECOND.replace("2019", "2020")}</p></article></body></html>""".encode()

ROUTES: dict[str, tuple[int, str, bytes]] = {
    "/feed": (200, "application/rss+xml; charset=utf-8", FEED),
    "/feed-as-html": (200, "text/html", FEED),  # misconfigured servers exist
    "/story": (200, "text/html; charset=utf-8", PAGE),
    "/plain": (200, "text/plain", f"Seoul talks\n{PARAGRAPH}\n".encode()),
    "/latin": (
        200,
        "text/plain; charset=iso-8859-1",
        "Talks in Bogotá\nDiplomats met in Bogotá.\n".encode("iso-8859-1"),
    ),
    "/empty": (200, "text/plain", b""),
    "/big": (200, "text/plain", b"x" * 5000),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/story")
            self.end_headers()
            return
        status, content_type, body = ROUTES.get(self.path, (404, "text/plain", b"not here"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if self.path == "/plain":
            self.send_header("Last-Modified", "Wed, 04 Feb 2026 07:30:00 GMT")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ):
        monkeypatch.delenv(name, raising=False)


def test_rss_feed_over_http(server: str) -> None:
    [draft] = list(read_inputs([f"{server}/feed"]))
    assert isinstance(draft, ArticleDraft)
    assert draft.origin == f"{server}/feed#1"
    assert draft.source == "Seoul Desk"
    assert draft.url == "http://news.test/seoul-summit"
    assert draft.paragraphs == (PARAGRAPH, SECOND)
    assert draft.published_at == datetime(2026, 2, 4, 1, 0, tzinfo=UTC)


def test_feed_served_as_html_is_recognised(server: str) -> None:
    [draft] = list(read_inputs([f"{server}/feed-as-html"]))
    assert isinstance(draft, ArticleDraft) and draft.title == "Japan and South Korea prepare summit"


def test_html_page_over_http_follows_redirects(server: str) -> None:
    [draft] = list(read_inputs([f"{server}/moved"]))
    assert isinstance(draft, ArticleDraft)
    assert draft.title == "Japan and South Korea prepare summit"
    assert draft.url == "https://news.test/2026/02/04/seoul-summit"
    assert draft.source == "Seoul Desk"
    assert draft.headings == ("Export controls",)
    assert draft.paragraphs[0] == PARAGRAPH
    assert draft.published_at == datetime(2026, 2, 4, 1, 0, tzinfo=UTC)
    assert draft.date_origin == "page metadata: JSON-LD datePublished"


def test_plain_text_over_http_uses_host_and_last_modified(server: str) -> None:
    [draft] = list(read_inputs([f"{server}/plain"]))
    assert isinstance(draft, ArticleDraft)
    assert draft.source == "127.0.0.1"
    assert draft.url == f"{server}/plain"
    assert draft.published_at == datetime(2026, 2, 4, 7, 30, tzinfo=UTC)
    assert draft.date_origin == "HTTP Last-Modified header (no date in the document)"


def test_declared_charset_is_used_when_bytes_are_not_utf8(server: str) -> None:
    [draft] = list(read_inputs([f"{server}/latin"]))
    assert isinstance(draft, ArticleDraft) and draft.title == "Talks in Bogotá"


def test_http_failures_are_reported_per_url(server: str) -> None:
    results = list(
        read_inputs(
            [f"{server}/missing", f"{server}/empty", f"{server}/big", f"{server}/feed"],
            max_bytes=1000,
        )
    )
    assert [str(r) for r in results[:3]] == [
        f"{server}/missing: HTTP 404 Not Found",
        f"{server}/empty: empty response: the server sent no content",
        f"{server}/big: too large: 5 kB exceeds the 1 kB limit (raise it with --max-size)",
    ]
    assert all(isinstance(r, IngestError) for r in results[:3])
    assert isinstance(results[3], ArticleDraft)


def test_unreachable_server() -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    [error] = list(read_inputs([f"http://127.0.0.1:{port}/feed"], timeout=2))
    assert isinstance(error, IngestError)
    assert str(error).startswith(f"http://127.0.0.1:{port}/feed: cannot be fetched: ")
