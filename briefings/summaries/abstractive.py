"""Optional abstractive summaries from an OpenAI-compatible chat endpoint, with the extractive fallback.

Off unless `[summaries.abstractive] enabled = true`. Any failure of the endpoint (refused
connection, timeout, a status other than 200, a body that is not the expected JSON, an empty
answer) falls back to the extractive summary, and the reason is logged without the API key.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Literal

from briefings.config import AbstractiveSettings
from briefings.errors import BriefbotError, ConfigError
from briefings.models import Article, ArticleDraft
from briefings.sentences import split_sentences
from briefings.summaries.extractive import body_paragraphs, summarize_article

logger = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "You write summaries of diplomatic news for a daily briefing read by analysts. "
    "Summarise the article in at most {sentences} plain sentences: who did what, where and when, "
    "and what follows. Use only facts stated in the article, keep names, titles and figures exact, "
    "stay neutral, and write no preamble, headings or bullet points."
)

Method = Literal["extractive", "abstractive"]


@dataclass(frozen=True, slots=True)
class SummaryResult:
    """A summary and how it was made; `fallback_reason` says why the endpoint was not used."""

    sentences: list[str]
    method: Method
    fallback_reason: str | None = None


def chat_completions_url(base_url: str) -> str:
    """The chat endpoint for a base URL given with or without the `/chat/completions` path."""
    base = base_url.rstrip("/")
    return base if base.endswith("/chat/completions") else f"{base}/chat/completions"


@dataclass(frozen=True)
class AbstractiveSummarizer:
    """A client for one OpenAI-compatible `/chat/completions` endpoint and model."""

    url: str
    model: str
    timeout_seconds: float = 20.0
    api_key: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:  # never show the key
        return f"AbstractiveSummarizer(url={self.url!r}, model={self.model!r})"

    @classmethod
    def from_settings(cls, settings: AbstractiveSettings, *, api_key: str | None) -> AbstractiveSummarizer:
        return cls(url=settings.url, model=settings.model, timeout_seconds=settings.timeout_seconds, api_key=api_key)

    def request_body(self, article: ArticleDraft | Article, *, sentences: int) -> dict[str, Any]:
        text = "\n\n".join([article.title, *body_paragraphs(article)])
        return {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT.format(sentences=sentences)},
                {"role": "user", "content": text},
            ],
        }

    def summarize(self, article: ArticleDraft | Article, *, sentences: int, chars: int | None = None) -> list[str]:
        """The endpoint's summary as sentences, cut to the budget; raises BriefbotError on failure."""
        url = chat_completions_url(self.url)
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        data = json.dumps(self.request_body(article, sentences=sentences)).encode("utf-8")
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                status = response.status
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise BriefbotError(f"summary endpoint {url} answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise BriefbotError(f"summary endpoint {url} failed: {reason}") from exc
        if status != 200:
            raise BriefbotError(f"summary endpoint {url} answered HTTP {status}")
        content = _answer_text(raw, url=url)
        return _within_budget(split_sentences(" ".join(content.split())), sentences=sentences, chars=chars)


def _answer_text(raw: bytes, *, url: str) -> str:
    try:
        payload = json.loads(raw.decode("utf-8"))
        content = payload["choices"][0]["message"]["content"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, IndexError, TypeError) as exc:
        raise BriefbotError(f"summary endpoint {url} sent an answer that is not chat-completion JSON") from exc
    if not isinstance(content, str) or not content.strip():
        raise BriefbotError(f"summary endpoint {url} sent an empty summary")
    return content


def _within_budget(sentences_in: list[str], *, sentences: int, chars: int | None) -> list[str]:
    kept: list[str] = []
    length = 0
    for sentence in sentences_in[:sentences]:
        added = len(sentence) + (1 if kept else 0)
        if chars is not None and length + added > chars:
            break
        kept.append(sentence)
        length += added
    return kept


def summarize_with_fallback(
    article: ArticleDraft | Article,
    *,
    sentences: int | None = 3,
    chars: int | None = None,
    abstractive: AbstractiveSummarizer | None = None,
) -> SummaryResult:
    """The abstractive summary when an endpoint is given and answers, else the extractive one."""
    if abstractive is not None:
        try:
            summary = abstractive.summarize(article, sentences=sentences or 3, chars=chars)
        except BriefbotError as exc:
            logger.warning("abstractive summary of %s failed, using the extractive one: %s", article.title, exc)
            reason = str(exc)
        else:
            if summary:
                return SummaryResult(sentences=summary, method="abstractive")
            reason = "the summary endpoint's answer does not fit the character budget"
        return SummaryResult(
            sentences=summarize_article(article, sentences=sentences, chars=chars),
            method="extractive",
            fallback_reason=reason,
        )
    return SummaryResult(sentences=summarize_article(article, sentences=sentences, chars=chars), method="extractive")


def abstractive_from_settings(settings: AbstractiveSettings, *, api_key: str | None) -> AbstractiveSummarizer | None:
    """The configured endpoint client, or None when the abstractive backend is off."""
    if not settings.enabled:
        return None
    if not settings.url or not settings.model:
        raise ConfigError("[summaries.abstractive] is enabled but needs both url and model")
    return AbstractiveSummarizer.from_settings(settings, api_key=api_key)
