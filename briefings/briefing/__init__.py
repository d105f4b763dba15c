"""Compiling a window of stored articles into a briefing: merge, rank, group, summarise."""
