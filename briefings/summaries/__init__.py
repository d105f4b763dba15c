"""Extractive summaries of articles and of stories told by several articles."""

from __future__ import annotations

from briefings.summaries.extractive import (
    DEFAULT_RULES,
    SelectionRules,
    summarize_article,
    summarize_paragraphs,
)
from briefings.summaries.story import summarize_story

__all__ = [
    "DEFAULT_RULES",
    "SelectionRules",
    "summarize_article",
    "summarize_paragraphs",
    "summarize_story",
]
