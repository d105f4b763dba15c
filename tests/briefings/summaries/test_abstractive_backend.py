"""The abstractive backend against an OpenAI-compatible server on loopback: requests, answers, failures."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from briefings.config import AbstractiveSettings
from briefings.errors import ConfigError
from briefings.models import ArticleDraft, Block
from briefings.summaries import summarize_article
from briefings.summaries.abstractive import (
    AbstractiveSummarizer,
    abstractive_from_settings,
    chat_completions_url,
    summarize_with_fallback,
)

ARTICLE = ArticleDraft(
    title="Xi and Putin hold talks",
    blocks=(
        Block("paragraph", "Xi Jinping and Vladimir Putin held talks by video on Thursday. Trade passed $200 billion."),
        Block("heading", "Energy"),
        Block("paragraph", "The two leaders discussed energy supplies and the SCO summit."),
    ),
    source="test",
    origin="test.txt",
)


class ChatServer:
    """Plays an OpenAI-compatible endpoint: records each request and answers as told."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        self.body: bytes = b""
        self.delay = 0.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                server.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "json": json.loads(self.rfile.read(length))}
                )
                if server.delay:
                    threading.Event().wait(server.delay)
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(self, content: str) -> None:
        self.body = json.dumps({"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}).encode()


@pytest.fixture
def chat_server() -> Iterator[ChatServer]:
    server = ChatServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def test_summary_comes_from_the_endpoint_with_model_key_and_article(chat_server: ChatServer) -> None:
    chat_server.answer("Xi and Putin talked by video. They discussed trade. They discussed energy. Extra.")
    client = AbstractiveSummarizer(url=chat_server.url, model="tiny-model", api_key="sk-secret-123")
    result = summarize_with_fallback(ARTICLE, sentences=3, abstractive=client)
    assert result.method == "abstractive"
    assert result.sentences == ["Xi and Putin talked by video.", "They discussed trade.", "They discussed energy."]
    (request,) = chat_server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer sk-secret-123"
    assert request["json"]["model"] == "tiny-model"
    assert "at most 3" in request["json"]["messages"][0]["content"]
    user_text = request["json"]["messages"][1]["content"]
    assert "Xi and Putin hold talks" in user_text and "SCO summit" in user_text
    assert "sk-secret-123" not in repr(client)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, b'{"error": "overloaded"}'),
        (200, b"not json at all"),
        (200, b'{"choices": []}'),
        (200, b'{"choices": [{"message": {"content": "   "}}]}'),
    ],
)
def test_endpoint_failures_fall_back_to_the_extractive_summary(
    chat_server: ChatServer, status: int, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    chat_server.status, chat_server.body = status, body
    client = AbstractiveSummarizer(url=chat_server.url, model="m", api_key="sk-secret-123")
    result = summarize_with_fallback(ARTICLE, sentences=2, abstractive=client)
    assert result.method == "extractive"
    assert result.sentences == summarize_article(ARTICLE, sentences=2)
    assert result.fallback_reason
    assert len(chat_server.requests) == 1
    assert "sk-secret-123" not in caplog.text


def test_a_slow_endpoint_times_out_into_the_fallback(chat_server: ChatServer) -> None:
    chat_server.answer("Too late.")
    chat_server.delay = 1.0
    client = AbstractiveSummarizer(url=chat_server.url, model="m", timeout_seconds=0.2)
    result = summarize_with_fallback(ARTICLE, sentences=2, abstractive=client)
    assert result.method == "extractive"
    assert "failed" in (result.fallback_reason or "")


def test_a_refused_connection_falls_back() -> None:
    client = AbstractiveSummarizer(url="http://127.0.0.1:9/v1", model="m", timeout_seconds=1)
    assert summarize_with_fallback(ARTICLE, sentences=1, abstractive=client).method == "extractive"


def test_settings_decide_whether_the_backend_is_used() -> None:
    assert abstractive_from_settings(AbstractiveSettings(), api_key=None) is None
    with pytest.raises(ConfigError, match="url and model"):
        abstractive_from_settings(AbstractiveSettings(enabled=True), api_key=None)
    client = abstractive_from_settings(AbstractiveSettings(enabled=True, url="http://h/v1", model="m"), api_key="k")
    assert client is not None and client.model == "m"


def test_chat_completions_url() -> None:
    assert chat_completions_url("http://h:1/v1/") == "http://h:1/v1/chat/completions"
    assert chat_completions_url("http://h:1/v1/chat/completions") == "http://h:1/v1/chat/completions"
