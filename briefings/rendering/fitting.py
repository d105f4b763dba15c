"""Shortening one piece of a briefing to a platform limit at a word boundary, saying what was cut."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from briefings.rendering.escaping import cut_at_word
from briefings.rendering.messages import cut_note

StoryRenderer = Callable[[dict[str, Any]], str]


def _words_kept(words: list[str], count: int) -> str:
    kept = " ".join(words[:count])
    return kept if count >= len(words) else f"{kept} …"


def _shrink(
    render: StoryRenderer, story: dict[str, Any], field: str, limit: int, cut_before: int
) -> tuple[str, int] | None:
    """Keep as many words of `field` as fit; None when even none of them fits."""
    original = story[field]
    words = original.split(" ")
    article_id = story.get("first_article_id") or 0

    def attempt(count: int) -> tuple[str, int]:
        kept = _words_kept(words, count)
        cut = cut_before + max(len(original) - len(kept.removesuffix(" …")), 0)
        trial = {**story, field: kept, "cut_note": cut_note(characters=cut, article_id=article_id)}
        return render(trial), cut

    low, high = 0, len(words) - 1
    best: tuple[str, int] | None = None
    while low <= high:
        middle = (low + high) // 2
        text, cut = attempt(middle)
        if len(text) <= limit:
            best = (text, cut)
            low = middle + 1
        else:
            high = middle - 1
    return best


def fit_story(render: StoryRenderer, story: dict[str, Any], limit: int) -> tuple[str, int]:
    """The story rendered within `limit` characters, and how many characters of it were cut.

    The summary is shortened first, word by word, then the headline; the rendered text then ends
    with a note saying how much was cut and how to read the whole article.
    """
    text = render(story)
    if len(text) <= limit:
        return text, 0
    fitted = _shrink(render, story, "summary_text", limit, 0)
    if fitted is not None:
        return fitted
    without_summary = {**story, "summary_text": ""}
    fitted = _shrink(render, without_summary, "headline", limit, len(story["summary_text"]))
    if fitted is not None:
        return fitted
    return fit_text(text, limit, article_id=story.get("first_article_id"))


def fit_text(text: str, limit: int, *, article_id: int | None = None) -> tuple[str, int]:
    """Any rendered piece within `limit`: cut at a word boundary, followed by the cut note."""
    if len(text) <= limit:
        return text, 0
    note = cut_note(characters=len(text), article_id=article_id or 0)
    if article_id is None:
        note = f"[{len(text):,} characters in all; the JSON format of the briefing has the whole text]"
    room = max(limit - len(note) - 3, 0)
    kept = cut_at_word(text, room)
    cut = len(text) - len(kept)
    note = note.replace(f"{len(text):,} characters cut", f"{cut:,} characters cut")
    return f"{kept} … {note}"[:limit], cut
