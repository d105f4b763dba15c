"""Compiling a window of stored articles into a briefing: merge, rank, group, summarise."""

from __future__ import annotations

from briefings.briefing.compiler import CompileOptions, compile_briefing
from briefings.briefing.filters import (
    BriefingFilters,
    BriefingWindow,
    EditionWindow,
    edition_window,
)
from briefings.briefing.model import Briefing, Section, Story

__all__ = [
    "Briefing",
    "BriefingFilters",
    "BriefingWindow",
    "CompileOptions",
    "EditionWindow",
    "Section",
    "Story",
    "compile_briefing",
    "edition_window",
]
