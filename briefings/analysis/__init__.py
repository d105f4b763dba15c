"""The analysis of an article: countries, people, organisations, figures, dates and events."""

from __future__ import annotations

from briefings.analysis.analyzer import analyze_article
from briefings.analysis.gazetteer import Gazetteer, load_gazetteer

__all__ = ["Gazetteer", "analyze_article", "load_gazetteer"]
